/** @vitest-environment happy-dom */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { DEFAULT_SETTINGS, type SettingName, type Settings } from '../../lib/managed';
import type { ExtensionProtocol } from '../../lib/messages';
import { sendMessage } from '../../ext/messaging';
import { setValue, until, useMounted } from '../../test/support/dom';
import { GeneralSettings, periodLabel } from './general-settings';

vi.mock('../../ext/messaging', () => ({ sendMessage: vi.fn() }));

type SetReply = ReturnType<ExtensionProtocol['settings:set']>;

/** The background's answers: the settings in force, and what settings:set replies. */
function background({ settings = {}, managed = [], problems = [], reply = { ok: true } }: { settings?: Partial<Settings>; managed?: SettingName[]; problems?: { path: string; message: string }[]; reply?: SetReply } = {}) {
  vi.mocked(sendMessage).mockImplementation((async (type: string) => {
    if (type === 'settings:get') return { settings: { ...DEFAULT_SETTINGS, ...settings }, managed, problems };
    if (type === 'settings:set') return reply;
    throw new Error(`no handler for ${type}`);
  }) as unknown as typeof sendMessage);
}
const sets = () => vi.mocked(sendMessage).mock.calls.filter(([type]) => type === 'settings:set').map(([, data]) => data);

const ui = useMounted();
beforeEach(() => {
  vi.mocked(sendMessage).mockReset();
});

async function open() {
  const root = await ui.mount(<GeneralSettings />);
  await until(() => root.querySelector('#setting-refresh'), 'the settings');
  return {
    root,
    refresh: root.querySelector<HTMLSelectElement>('#setting-refresh')!,
    keys: root.querySelector<HTMLSelectElement>('#setting-keys')!,
    /** The visible label text of a control, as a screen reader names it. */
    labelOf: (el: HTMLElement) => root.querySelector(`label[for="${el.id}"]`)?.textContent,
    describedBy: (el: HTMLElement) => root.querySelector(`#${el.getAttribute('aria-describedby')}`)?.textContent,
  };
}

describe('options "Settings": refresh period and default key mode', () => {
  it('shows the settings in force with named controls; a choice is saved and confirmed', async () => {
    background();
    const { root, refresh, keys, labelOf } = await open();
    expect(root.querySelector('h2')!.textContent).toBe('Settings');
    expect(labelOf(refresh)).toBe('Refresh all instances every');
    expect(labelOf(keys)).toBe('Keys in exports by default');
    expect(refresh.value).toBe('360');
    expect(refresh.selectedOptions[0]!.textContent).toBe('6 hours');
    expect([...refresh.options].map((o) => o.textContent)).toEqual(['15 minutes', '1 hour', '3 hours', '6 hours', '12 hours', '24 hours']);
    expect(keys.value).toBe('masked');
    expect(refresh.disabled || keys.disabled).toBe(false);

    await setValue(refresh, '60');
    await until(() => root.querySelector('[role="status"]'), 'the saved status');
    expect(sets()).toEqual([{ refreshPeriodMinutes: 60 }]);
    expect(root.querySelector('[role="status"]')!.textContent).toBe('Settings saved.');

    await setValue(keys, 'full');
    await until(() => sets().length === 2, 'the second save');
    expect(sets()[1]).toEqual({ defaultKeyMode: 'full' });
    await until(() => root.querySelector('.warning[role="note"]'), 'the full-keys warning');
    expect(root.querySelector('.warning[role="note"]')!.textContent).toContain('full keys in plain text');
  });

  it('a setting the policy fixes is read-only, with the organisation note tied to it; its value is listed even outside the usual choices', async () => {
    background({ settings: { refreshPeriodMinutes: 90, defaultKeyMode: 'omit' }, managed: ['refreshPeriodMinutes'] });
    const { refresh, keys, describedBy } = await open();
    expect(refresh.disabled).toBe(true);
    expect(refresh.value).toBe('90');
    expect(refresh.selectedOptions[0]!.textContent).toBe('90 minutes');
    expect(describedBy(refresh)).toBe('Set by your organisation: it cannot be changed here.');
    expect(keys.disabled).toBe(false);
    expect(keys.value).toBe('omit');
    expect(keys.getAttribute('aria-describedby')).toBeNull();
  });

  it('lists the problems the managed policy has', async () => {
    background({ problems: [{ path: 'defaultKeyMode', message: 'Invalid option: expected one of "masked"|"full"|"omit"' }, { path: 'colour', message: 'is not a KeyAtlas policy' }] });
    const { root } = await open();
    const note = root.querySelector('[data-testid="policy-problems"]')!;
    expect(note.textContent).toContain("Your organisation's policy has entries KeyAtlas cannot use");
    expect([...note.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      'defaultKeyMode: Invalid option: expected one of "masked"|"full"|"omit"',
      'colour: is not a KeyAtlas policy',
    ]);
  });

  it('no problem list when the policy is fine; a refused save is said in an alert and the choice is not kept', async () => {
    background({ reply: { ok: false, error: "refreshPeriodMinutes: set by your organisation's policy, so it cannot be changed here." } });
    const { root, refresh } = await open();
    expect(root.querySelector('[data-testid="policy-problems"]')).toBeNull();
    await setValue(refresh, '15');
    await until(() => root.querySelector('[role="alert"]'), 'the error');
    expect(root.querySelector('[role="alert"]')!.textContent).toContain("organisation's policy");
    expect(root.querySelector('[role="status"]')).toBeNull();
    expect(refresh.value).toBe('360');
  });

  it('the rotation policy: a named number input, saved when changed, refused when not a whole number, read-only under a policy', async () => {
    background();
    const { root, labelOf, describedBy } = await open();
    const input = root.querySelector<HTMLInputElement>('[data-testid="max-key-age"]')!;
    expect(input.type).toBe('number');
    expect(input.value).toBe('0');
    expect(labelOf(input)).toBe('Rotate keys older than (days)');
    expect(describedBy(input)).toContain('0 turns the rotation policy off');
    await setValue(input, '365');
    await until(() => root.querySelector('[role="status"]'), 'the saved status');
    expect(sets()).toEqual([{ maxKeyAgeDays: 365 }]);
    await setValue(input, '-3');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(describedBy(input)).toBe('Enter a whole number of days from 0 to 36500.');
    expect(sets()).toHaveLength(1);

    background({ settings: { maxKeyAgeDays: 180 }, managed: ['maxKeyAgeDays'] });
    const fixed = (await open()).root.querySelectorAll<HTMLInputElement>('[data-testid="max-key-age"]');
    expect(fixed[fixed.length - 1]!.disabled).toBe(true);
    expect(fixed[fixed.length - 1]!.value).toBe('180');
  });

  it('durations in German read as German', () => {
    vi.spyOn(fakeBrowser.i18n, 'getUILanguage').mockReturnValue('de');
    expect([15, 60, 360].map(periodLabel)).toEqual(['15 Minuten', '1 Stunde', '6 Stunden']);
  });
});
