/** @vitest-environment happy-dom */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sendMessage } from '../../ext/messaging';
import { mount, setValue, unmount, until } from '../../test/support/dom';
import { LockSettings } from './lock-settings';

vi.mock('../../ext/messaging', () => ({ sendMessage: vi.fn() }));

/** The background's side of the idle auto-lock: the stored choice, and whether a change is accepted. */
function background(minutes: number, setReply: { ok: true } | { ok: false; error: string } = { ok: true }) {
  vi.mocked(sendMessage).mockImplementation((async (type: string) => {
    if (type === 'autoLock:get') return { minutes };
    if (type === 'autoLock:set') return setReply;
    throw new Error(`unexpected message ${type}`);
  }) as unknown as typeof sendMessage);
}

let container: HTMLElement | undefined;
afterEach(async () => {
  if (container) await unmount(container);
  container = undefined;
  vi.mocked(sendMessage).mockReset();
});

async function openUnlocked() {
  container = await mount(<LockSettings locked={false} hasPassphrase onChanged={() => undefined} />);
  return until(() => container!.querySelector<HTMLSelectElement>('select[name="auto-lock"]'), 'the auto-lock select');
}

describe('idle auto-lock setting (options, Lock section)', () => {
  it('shows the stored choice in a labelled select with the four documented choices, and saves a new one', async () => {
    background(15);
    const select = await openUnlocked();
    expect(container!.querySelector(`label[for="${select.id}"]`)?.textContent).toBe('Lock after inactivity');
    expect(select.getAttribute('aria-describedby')).toBe('auto-lock-help');
    expect([...select.options].map((o) => [o.value, o.textContent])).toEqual([
      ['0', 'Never'],
      ['15', '15 minutes'],
      ['60', '1 hour'],
      ['240', '4 hours'],
    ]);
    expect(select.value).toBe('15');
    await setValue(select, '240');
    expect(vi.mocked(sendMessage)).toHaveBeenCalledWith('autoLock:set', { minutes: 240 });
    expect(select.value).toBe('240');
  });

  it('goes back to the stored choice and says why when the background refuses the change', async () => {
    background(60, { ok: false, error: 'storage is full' });
    const select = await openUnlocked();
    await setValue(select, '0');
    await until(() => container!.querySelector('[role="alert"]'), 'the error');
    expect(container!.querySelector('[role="alert"]')?.textContent).toBe('storage is full');
    expect(select.value).toBe('60');
  });
});

describe('a policy that requires a passphrase (options, Lock section)', () => {
  it('says that credentials saved before it stay unused until a passphrase seals them', async () => {
    vi.mocked(sendMessage).mockImplementation((async (type: string) => {
      if (type === 'settings:get') return { settings: { requirePassphrase: true }, managed: ['requirePassphrase'], problems: [] };
      throw new Error(`unexpected message ${type}`);
    }) as unknown as typeof sendMessage);
    container = await mount(<LockSettings locked={false} hasPassphrase={false} onChanged={() => undefined} />);
    const note = await until(() => container!.querySelector('[data-testid="passphrase-required"]'), 'the policy note');
    expect(note.textContent).toContain('not used until you set a passphrase');
  });

  it('shows no such note without the policy', async () => {
    vi.mocked(sendMessage).mockImplementation((async () => ({ settings: { requirePassphrase: false }, managed: [], problems: [] })) as unknown as typeof sendMessage);
    container = await mount(<LockSettings locked={false} hasPassphrase={false} onChanged={() => undefined} />);
    await until(() => vi.mocked(sendMessage).mock.calls.length > 0, 'the settings request');
    await new Promise((resolve) => setTimeout(resolve));
    expect(container.querySelector('[data-testid="passphrase-required"]')).toBeNull();
  });
});
