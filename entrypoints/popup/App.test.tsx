/** @vitest-environment happy-dom */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { ExtensionProtocol, PopupState } from '../../lib/messages';
import { bucketize } from '../../lib/record';
import { VENDOR_LABELS } from '../../lib/vendors';
import { sendMessage } from '../../ext/messaging';
import { MAX_KEY_ROWS } from '../../ext/ui/keys-view';
import { byTestId, byText, click, mount, setValue, unmount, until } from '../../test/support/dom';
import { FAILING, FAILING_ERROR, INSTANCES, keyMeta, keysViewOf, manyKeys, popupState } from '../../test/support/ui-fixtures';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { englishI18n, getMessage } from '../../test/i18n-messages';
import { App } from './App';

vi.mock('../../ext/messaging', () => ({ sendMessage: vi.fn() }));

type Handlers = { [K in keyof ExtensionProtocol]?: (data: Parameters<ExtensionProtocol[K]>[0]) => unknown };

/** Answers `sendMessage` like the background would, from per-test handlers; unknown types reject. */
function background(handlers: Handlers) {
  const send = vi.mocked(sendMessage);
  send.mockImplementation((async (type: keyof ExtensionProtocol, data: never) => {
    const handler = handlers[type] as ((data: never) => unknown) | undefined;
    if (!handler) throw new Error(`no handler for ${type}`);
    return handler(data);
  }) as unknown as typeof sendMessage);
  return send;
}

/** The state of these keys, and `keys:view` answered over them as the background would. */
function keysBackground(keys: Parameters<typeof popupState>[0], state: () => ReturnType<typeof popupState> = () => popupState(keys)) {
  return background({ 'state:get': state, 'keys:view': (filter) => keysViewOf(keys, filter) });
}

function callsOf(send: ReturnType<typeof background>, type: keyof ExtensionProtocol): unknown[] {
  return send.mock.calls.filter(([t]) => t === type).map(([, data]) => data);
}

let container: HTMLElement | undefined;
async function open(props: { pollMs?: number; firstState?: Promise<PopupState> } = {}) {
  container = await mount(<App {...props} />);
  return container;
}
const ready = (root: HTMLElement) => until(() => byTestId(root, 'summary-expired'), 'the dashboard');
const rows = (root: HTMLElement) => [...root.querySelectorAll('tr.key')];
/** The key rows once all are drawn: the first frame draws only the first ones. */
const allRows = (root: HTMLElement, count: number) => until(() => rows(root).length === count && rows(root), `${count} key rows`);

beforeEach(() => {
  fakeBrowser.reset();
  vi.mocked(sendMessage).mockReset();
});
afterEach(async () => {
  if (container) await unmount(container);
  container = undefined;
});

describe('popup states', () => {
  it('draws the state asked for before it loaded, then asks again itself', async () => {
    const keys = manyKeys(30);
    const send = keysBackground(keys);
    const root = await open({ firstState: Promise.resolve(popupState(keys)) });
    await ready(root);
    expect(callsOf(send, 'state:get')).toHaveLength(0);
    await click(byTestId(root, 'refresh'));
    await until(() => callsOf(send, 'state:get').length > 0, 'a state:get of its own after the refresh');
  });

  it('shows loading until the background answers', async () => {
    background({ 'state:get': () => new Promise(() => {}) });
    const root = await open();
    expect(root.textContent).toContain('Loading');
    expect(byTestId(root, 'summary-expired')).toBeNull();
  });

  it('shows why the state could not be read, and reads again on request', async () => {
    let fail = true;
    background({
      'state:get': () => {
        if (fail) throw new Error('Could not establish connection. Receiving end does not exist.');
        return popupState(manyKeys(20));
      },
    });
    const root = await open();
    const alert = await until(() => root.querySelector('[role="alert"]'), 'the error');
    expect(alert.textContent).toContain('Receiving end does not exist.');
    fail = false;
    await click(byText(root, 'Try again'));
    await ready(root);
  });

  it('offers the options page when no instance is configured', async () => {
    background({ 'state:get': () => popupState([], { instances: [] }) });
    const openOptions = vi.spyOn(fakeBrowser.runtime, 'openOptionsPage').mockResolvedValue();
    const root = await open();
    const add = await until(() => byText(root, 'Add an instance'), 'the first-run button');
    expect(byTestId(root, 'summary-expired')).toBeNull();
    await click(add);
    expect(openOptions).toHaveBeenCalledOnce();
  });

  it('unlocks with the passphrase and shows the background error text when it is wrong', async () => {
    let locked = true;
    const send = background({
      'state:get': () => popupState(manyKeys(30), { locked, hasPassphrase: true }),
      'lock:unlock': ({ passphrase }) => {
        if (passphrase !== 'correct horse battery') return { ok: false, error: 'wrong passphrase' };
        locked = false;
        return { ok: true };
      },
    });
    const root = await open();
    const field = await until(() => root.querySelector<HTMLInputElement>('input[type="password"]'), 'the passphrase field');
    expect(byTestId(root, 'summary-expired')).toBeNull();

    await setValue(field, 'guess');
    await click(byText(root, 'Unlock'));
    const alert = await until(() => root.querySelector('[role="alert"]'), 'the unlock error');
    expect(alert.textContent).toBe('wrong passphrase');

    await setValue(field, 'correct horse battery');
    await click(byText(root, 'Unlock'));
    await ready(root);
    expect(callsOf(send, 'lock:unlock')).toEqual([{ passphrase: 'guess' }, { passphrase: 'correct horse battery' }]);
  });
});

describe('summary and instances', () => {
  it('shows the totals over all instances, each count alone in its element, whatever the filter', async () => {
    const keys = manyKeys(500);
    background({ 'state:get': () => popupState(keys) });
    const root = await open();
    await ready(root);
    const expected = bucketize(keys);
    const counts = () => ({
      expired: byTestId(root, 'summary-expired')!.textContent,
      within7: byTestId(root, 'summary-7d')!.textContent,
      within30: byTestId(root, 'summary-30d')!.textContent,
      never: byTestId(root, 'summary-never')!.textContent,
    });
    const want = {
      expired: String(expected.expired),
      within7: String(expected.within7),
      within30: String(expected.within30),
      never: String(expected.never),
    };
    expect(counts()).toEqual(want);
    expect(expected.expired * expected.within7 * expected.never).toBeGreaterThan(0);
    await click(root.querySelector('[data-window="7"]'));
    expect(counts()).toEqual(want);
  });

  it('leads with a verdict over every instance, above cards that add up to every key', async () => {
    const keys = manyKeys(200);
    background({ 'state:get': () => popupState(keys) });
    const root = await open();
    await ready(root);
    const verdict = byTestId(root, 'health-verdict')!;
    expect(verdict.textContent).toBe('1 of 5 instances not read completelyAs of 25 minutes ago');
    expect(verdict.dataset.state).toBe('failed');
    // Health comes before the counts and the keys.
    const first = root.querySelector('[data-testid="key-row"]')!;
    expect(verdict.compareDocumentPosition(byTestId(root, 'summary-expired')!) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(byTestId(root, 'instance-row')!.compareDocumentPosition(first) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    const cards = [...root.querySelectorAll('.summary-count')].map((el) => Number(el.textContent));
    expect(cards.reduce((a, b) => a + b)).toBe(keys.length);
    const b = bucketize(keys);
    expect(cards).toEqual([b.expired, b.within7, b.within30 - b.within7, b.total - b.expired - b.within30 - b.never, b.never]);
  });

  it('says every instance was read completely when they were, and marks none in colour at zero', async () => {
    const state = popupState([]);
    for (const inst of state.instances) delete inst.error;
    background({ 'state:get': () => state });
    const root = await open();
    await ready(root);
    expect(byTestId(root, 'health-verdict')!.dataset.state).toBe('ok');
    expect(byTestId(root, 'health-verdict')!.textContent).toMatch(/^All 5 instances read completelyAs of /);
    expect(root.querySelectorAll('.summary-item:not(.tone-zero)')).toHaveLength(0);
    expect(root.querySelectorAll('.instance-meta .tone-expired, .instance-meta .tone-soon')).toHaveLength(0);
  });

  it('renders one row per instance with vendor, last refresh, credential, counts and its own error', async () => {
    const keys = manyKeys(200);
    const state = popupState(keys);
    // Last exported from its console with the live session (docs/contract.md#console-sessions), so both credentials show.
    state.instances[1]!.credential = 'session';
    background({ 'state:get': () => state });
    const root = await open();
    await ready(root);
    const instanceRows = [...root.querySelectorAll<HTMLElement>('[data-testid="instance-row"]')];
    expect(instanceRows.map((row) => row.dataset.instance)).toEqual(INSTANCES.map((inst) => inst.name));

    for (const inst of state.instances) {
      const row = instanceRows.find((r) => r.dataset.instance === inst.name)!;
      expect(row.textContent).toContain(VENDOR_LABELS[inst.vendor]);
      expect(row.querySelector('time')?.getAttribute('datetime')).toBe(inst.lastRefresh);
      // Zero is left out, never shown in red.
      if (inst.buckets.expired) expect(row.querySelector('.tone-expired')!.textContent).toBe(`${inst.buckets.expired} expired`);
      else expect(row.querySelector('.tone-expired')).toBeNull();
      // The usual credential goes unsaid; a console session is named.
      if (inst.credential === 'session') expect(row.textContent).toContain('via console session');
      else expect(row.textContent).not.toContain('via');
      const error = row.querySelector('[data-testid="instance-error"]');
      if (inst.name === FAILING) expect(error?.textContent).toBe(FAILING_ERROR);
      else expect(error).toBeNull();
    }
    expect(root.querySelectorAll('[data-testid="instance-error"]')).toHaveLength(1);
    expect(instanceRows[0]!.querySelector('time')!.textContent).toBe('5 minutes ago');
  });

  it('states each instance’s coverage beside its outcome, the English values for automation whatever the UI language', async () => {
    const state = popupState(manyKeys(20));
    state.instances[0]!.warnings = ['core-prod: user directory names are unavailable'];
    state.instances[3]!.ok = false;
    state.instances[3]!.error = 'vault: the server announced 9 keys but delivered 8';
    state.instances[3]!.errorKind = 'incomplete';
    // Cached before coverage was kept: nothing is claimed until it is read again.
    delete state.instances[4]!.coverage;
    state.instances[4]!.lastRefresh = null;
    state.instances[4]!.ok = null;
    background({ 'state:get': () => state });
    const view = async () => {
      const root = await open();
      await ready(root);
      return [...root.querySelectorAll<HTMLElement>('[data-testid="instance-row"]')].map((row) => {
        const coverage = row.querySelector<HTMLElement>('[data-testid="instance-coverage"]');
        return [row.dataset.instance, row.dataset.outcome, coverage?.dataset.coverage, coverage?.textContent, coverage?.parentElement?.textContent];
      });
    };
    expect(await view()).toEqual([
      ['core-prod', 'ok with warnings', 'all users', 'all users', 'coverage: all users'],
      ['mdss', 'ok', 'own key', 'own key', 'coverage: own key'],
      ['xsoar', 'failed', 'tenant', 'tenant', 'coverage: tenant'],
      ['vault', 'incomplete', 'own + system-level tokens', 'own + system-level tokens', 'coverage: own + system-level tokens'],
      ['cloud', undefined, undefined, undefined, undefined],
    ]);

    await unmount(container!);
    const german = JSON.parse(readFileSync(join(import.meta.dirname, '../../public/_locales/de/messages.json'), 'utf8')) as Parameters<typeof getMessage>[0];
    Object.assign(fakeBrowser, { i18n: { getMessage: (key: string, subs?: string | string[]) => getMessage(german, key, subs), getUILanguage: () => 'de' } });
    try {
      expect((await view()).slice(0, 4)).toEqual([
        ['core-prod', 'ok with warnings', 'all users', 'alle Benutzer', 'Abdeckung: alle Benutzer'],
        ['mdss', 'ok', 'own key', 'eigener Schlüssel', 'Abdeckung: eigener Schlüssel'],
        ['xsoar', 'failed', 'tenant', 'Mandant', 'Abdeckung: Mandant'],
        ['vault', 'incomplete', 'own + system-level tokens', 'eigene + System-Tokens', 'Abdeckung: eigene + System-Tokens'],
      ]);
    } finally {
      Object.assign(fakeBrowser, { i18n: englishI18n });
    }
  });
});

describe('soonest-expiring keys', () => {
  it('lists expired keys first, then the soonest, never-expiring last as "Never"', async () => {
    const keys = manyKeys(80);
    background({ 'state:get': () => popupState(keys) });
    const root = await open();
    await ready(root);
    const shown = await allRows(root, 80);
    const days = shown.map((row) => row.querySelector('.key-days')!.textContent);
    const firstActive = days.findIndex((d) => d !== 'Expired');
    const firstNever = days.indexOf('Never');
    expect(firstActive).toBe(keys.filter((k) => k.status === 'expired').length);
    expect(firstNever).toBe(80 - keys.filter((k) => k.days_left === null).length);
    const activeDays = days.slice(firstActive, firstNever).map((d) => (d === '< 1 day' ? 0 : Number.parseInt(d!, 10)));
    expect(activeDays).toEqual([...activeDays].sort((a, b) => a - b));
    expect(days.slice(firstNever).every((d) => d === 'Never')).toBe(true);
  });

  it('colours expired keys red and keys within 7 days amber, nothing else', async () => {
    const keys = manyKeys(150);
    background({ 'state:get': () => popupState(keys) });
    const root = await open();
    await ready(root);
    for (const row of rows(root)) {
      const text = row.querySelector('.key-days')!.textContent!;
      const days = text === '< 1 day' ? 0 : Number.parseInt(text, 10);
      if (text === 'Expired') expect(row.className).toContain('tone-expired');
      else if (days <= 7) expect(row.className).toContain('tone-soon');
      else expect(row.className).not.toMatch(/tone-(expired|soon)/);
    }
    expect(root.querySelectorAll('tr.tone-expired').length).toBe(keys.filter((k) => k.status === 'expired').length);
    expect(root.querySelectorAll('tr.tone-soon').length).toBe(bucketize(keys).within7);
  });

  it.each([7, 30, 60, 90] as const)('the %i-day filter shows expired keys and those expiring within it', async (days) => {
    const keys = manyKeys(200);
    const send = keysBackground(keys);
    const root = await open();
    await ready(root);
    await click(root.querySelector(`[data-window="${days}"]`));
    const expected = keys.filter((k) => k.status === 'expired' || (k.days_left !== null && k.days_left <= days));
    expect(expected.length).toBeLessThan(MAX_KEY_ROWS);
    await until(() => rows(root).length === expected.length, 'the filtered list');
    expect(callsOf(send, 'keys:view')).toEqual([{ query: '', within: days }]);
    expect(root.querySelector(`[data-window="${days}"]`)!.getAttribute('aria-pressed')).toBe('true');
    expect(rows(root).map((row) => row.querySelector('.key-days')!.textContent)).not.toContain('Never');
  });

  it('draws at most MAX_KEY_ROWS of 10,000 keys and says how many more there are', async () => {
    const keys = manyKeys(10_000);
    background({ 'state:get': () => popupState(keys) });
    const root = await open();
    await ready(root);
    const shown = await allRows(root, MAX_KEY_ROWS);
    expect(root.querySelector('.more')!.textContent).toBe(`and ${(10_000 - MAX_KEY_ROWS).toLocaleString('en-US')} more`);
    const mostOverdue = Math.min(...keys.filter((k) => k.status === 'expired').map((k) => k.days_left!));
    const firstInstance = keys.filter((k) => k.days_left === mostOverdue).map((k) => k.instance).sort()[0];
    expect(shown[0]!.querySelector('.key-days')!.textContent).toBe('Expired');
    expect(shown[0]!.querySelector('.key-instance')!.textContent).toBe(firstInstance);
    expect(byTestId(root, 'summary-never')!.textContent).toBe(String(bucketize(keys).never));
  });

  it('renders vendor strings as text, never as markup', async () => {
    const hostile = '<img src=x onerror=alert(1)>';
    const keys = [
      keyMeta({ instance: 'core-prod', vendor: 'metadefender-core', owner: `LOCAL\\${hostile}`, key_id: '1', description: hostile, expiresInDays: 3.5 }),
    ];
    const state = popupState(keys);
    state.instances[0]!.error = `HTTP 500: ${hostile}`;
    background({ 'state:get': () => state });
    const root = await open();
    await ready(root);
    // The header's own mark is the only image.
    expect([...root.querySelectorAll('img')].map((img) => img.getAttribute('src'))).toEqual(['/icon/32.png']);
    expect(root.querySelector('.key-description')!.textContent).toBe(hostile);
    expect(root.querySelector('[data-testid="instance-error"]')!.textContent).toBe(`HTTP 500: ${hostile}`);
  });
});

describe('export', () => {
  function exporting(reply: (data: Parameters<ExtensionProtocol['export']>[0]) => ReturnType<ExtensionProtocol['export']>) {
    return background({ 'state:get': () => popupState(manyKeys(50)), export: reply });
  }

  it('exports every instance with masked keys unless another mode is chosen', async () => {
    const send = exporting(({ instance }) => ({ ok: true, fileName: `keyatlas-${instance ?? 'all'}-2026-03-01.csv`, rows: 50 }));
    const root = await open();
    await ready(root);
    await click(byTestId(root, 'export-all'));
    const result = await until(() => byTestId(root, 'export-result'), 'the export result');
    expect(result.textContent).toBe('Saved keyatlas-all-2026-03-01.csv (50 rows)');
    expect(callsOf(send, 'export')).toEqual([{ keys: 'masked' }]);
  });

  it.each(['full', 'omit'] as const)('sends the chosen key mode %s, warning before full keys', async (mode) => {
    const send = exporting(() => ({ ok: true, fileName: 'keyatlas-all-2026-03-01.csv', rows: 50 }));
    const root = await open();
    await ready(root);
    expect(root.querySelector('.warning')).toBeNull();
    await setValue(root.querySelector('select[name="keys"]'), mode);
    expect(root.querySelector('.warning') !== null).toBe(mode === 'full');
    await click(byTestId(root, 'export-all'));
    await until(() => byTestId(root, 'export-result'), 'the export result');
    expect(callsOf(send, 'export')).toEqual([{ keys: mode }]);
  });

  it('with a passphrase set, asks for it before full keys and sends it with every full-key export (row and live session too), never with masked ones', async () => {
    const send = background({
      'state:get': () => popupState(manyKeys(5), { hasPassphrase: true }),
      'sessions:list': () => [{ origin: 'https://mdss.example', vendor: 'metadefender-storage' as const }],
      export: () => ({ ok: true, fileName: 'keyatlas-all-2026-03-01.csv', rows: 5 }),
      'export:session': () => ({ ok: true, fileName: 'keyatlas-mdss.example-2026-03-01.csv', rows: 1 }),
    });
    const root = await open();
    await ready(root);
    const passphraseField = () => root.querySelector<HTMLInputElement>('input[name="export-passphrase"]');
    expect(passphraseField()).toBeNull();
    await setValue(root.querySelector('select[name="keys"]'), 'full');
    expect(passphraseField()!.labels![0]!.textContent).toContain('Your passphrase');
    expect(root.querySelector('.warning')!.textContent).not.toContain('No passphrase is set');
    await setValue(passphraseField(), 'correct horse battery');
    await click(byTestId(root, 'export-all'));
    await until(() => byTestId(root, 'export-result'), 'the export result');
    // Forgotten after each export: the next one asks again.
    expect(passphraseField()!.value).toBe('');
    await setValue(passphraseField(), 'correct horse battery');
    await click(root.querySelector('[data-testid="instance-row"][data-instance="vault"] button'));
    await setValue(passphraseField(), 'correct horse battery');
    await click(byText(await until(() => byTestId(root, 'live-session'), 'the live session'), 'Export with your current session'));
    await setValue(root.querySelector('select[name="keys"]'), 'masked');
    await click(byTestId(root, 'export-all'));
    await until(() => callsOf(send, 'export').length === 3, 'the third export');
    expect(callsOf(send, 'export')).toEqual([
      { keys: 'full', passphrase: 'correct horse battery' },
      { instance: 'vault', keys: 'full', passphrase: 'correct horse battery' },
      { keys: 'masked' },
    ]);
    expect(callsOf(send, 'export:session')).toEqual([{ origin: 'https://mdss.example', keys: 'full', passphrase: 'correct horse battery' }]);
  });

  it('without a passphrase, says beside the export that full keys are written in clear', async () => {
    exporting(() => ({ ok: true, fileName: 'keyatlas-all-2026-03-01.csv', rows: 50 }));
    const root = await open();
    await ready(root);
    await setValue(root.querySelector('select[name="keys"]'), 'full');
    expect(root.querySelector('input[name="export-passphrase"]')).toBeNull();
    expect(root.querySelector('.export .warning')!.textContent).toContain('No passphrase is set');
  });

  it('names the instances missing from a partial export', async () => {
    exporting(() => ({
      ok: true,
      fileName: 'keyatlas-all-2026-03-01.csv',
      rows: 48,
      errors: ['cortex-xsoar instance "xsoar": HTTP 402: no license'],
    }));
    const root = await open();
    await ready(root);
    await click(byTestId(root, 'export-all'));
    const result = await until(() => byTestId(root, 'export-result'), 'the export result');
    expect(result.querySelector('p')!.textContent).toBe('Saved keyatlas-all-2026-03-01.csv (48 rows)');
    expect([...result.querySelectorAll('li')].map((li) => li.textContent)).toEqual(['cortex-xsoar instance "xsoar": HTTP 402: no license']);
  });

  it('"Export with evidence" exports every instance in the chosen key mode with the evidence beside it, and names both files', async () => {
    const send = exporting(() => ({ ok: true, fileName: 'keyatlas-all-2026-03-01.csv', rows: 50, evidenceFileName: 'keyatlas-all-2026-03-01.evidence.json' }));
    const root = await open();
    await ready(root);
    await setValue(root.querySelector('select[name="keys"]'), 'omit');
    const button = byTestId(root, 'export-evidence')!;
    expect(button.textContent).toBe('Export with evidence');
    expect(button.title).toMatch(/SHA-256 of the CSV file$/);
    await click(button);
    const result = await until(() => byTestId(root, 'export-result'), 'the export result');
    expect([...result.querySelectorAll('p')].map((p) => p.textContent)).toEqual([
      'Saved keyatlas-all-2026-03-01.csv (50 rows)',
      'Evidence saved as keyatlas-all-2026-03-01.evidence.json',
    ]);
    expect(callsOf(send, 'export')).toEqual([{ keys: 'omit', evidence: true }]);
  });

  it('exports one instance from its row and shows the error the background gives', async () => {
    const send = exporting(() => ({ ok: false, error: 'metadefender-vault instance "vault": HTTP 401: invalid token' }));
    const root = await open();
    await ready(root);
    // Key rows carry data-instance too (docs/contract.md#test-ids key-row): the instance row is the one with its test id.
    const row = root.querySelector('[data-testid="instance-row"][data-instance="vault"]')!;
    await click(row.querySelector('button'));
    const result = await until(() => byTestId(root, 'export-result'), 'the export error');
    expect(result.getAttribute('role')).toBe('alert');
    expect(result.querySelector('.error-headline')!.textContent).toBe('Export failed');
    expect(result.querySelector('.error-detail')!.textContent).toBe('metadefender-vault instance "vault": HTTP 401: invalid token');
    expect(callsOf(send, 'export')).toEqual([{ instance: 'vault', keys: 'masked' }]);
  });
});

describe('live console sessions', () => {
  const live = [
    { origin: 'http://127.0.0.1:4567', vendor: 'metadefender-core' as const },
    { origin: 'https://mdss.example', vendor: 'metadefender-storage' as const },
  ];

  it('lists the consoles the user is logged into, zero setup, and exports one with its session', async () => {
    const send = background({
      'state:get': () => popupState([], { instances: [] }),
      'sessions:list': () => live,
      'export:session': ({ origin }) => ({ ok: true, fileName: `keyatlas-${new URL(origin).host.replace(':', '_')}-2026-03-01.csv`, rows: 6 }),
    });
    const root = await open();
    const rows = await until(() => root.querySelectorAll('[data-testid="live-session"]').length === 2 && root.querySelectorAll('[data-testid="live-session"]'), 'the live sessions');
    expect([...rows].map((r) => r.querySelector('.instance-name')!.textContent)).toEqual(['127.0.0.1:4567', 'mdss.example']);
    expect(rows[1]!.textContent).toContain(VENDOR_LABELS['metadefender-storage']);
    await click(byText(rows[0]!, 'Export with your current session'));
    await until(() => rows[0]!.querySelector('.ok'), 'the export result');
    expect(rows[0]!.querySelector('.ok')!.textContent).toBe('Saved keyatlas-127.0.0.1_4567-2026-03-01.csv (6 rows)');
    expect(callsOf(send, 'export:session')).toEqual([{ origin: 'http://127.0.0.1:4567', keys: 'masked' }]);
  });

  it('uses the chosen key mode on the dashboard and shows a refused session in plain words', async () => {
    const send = background({
      'state:get': () => popupState(manyKeys(5)),
      'sessions:list': () => live.slice(1),
      'export:session': () => ({ ok: false, error: 'mdss.example (metadefender-storage): GET /api/apikey was refused (HTTP 401)' }),
    });
    const root = await open();
    await ready(root);
    const row = await until(() => byTestId(root, 'live-session'), 'the live session');
    await setValue(root.querySelector('select[name="keys"]'), 'omit');
    await click(byText(row, 'Export with your current session'));
    const error = await until(() => row.querySelector('[role="alert"]'), 'the error');
    expect(error.textContent).toContain('HTTP 401');
    expect(callsOf(send, 'export:session')).toEqual([{ origin: 'https://mdss.example', keys: 'omit' }]);
  });

  it('shows nothing when there is no live session', async () => {
    background({ 'state:get': () => popupState(manyKeys(5)), 'sessions:list': () => [] });
    const root = await open();
    await ready(root);
    expect(root.querySelector('.live-sessions')).toBeNull();
  });
});

describe('refresh', () => {
  it('asks the background to refresh and polls the state, showing progress until it is done', async () => {
    const keys = manyKeys(40);
    let progress: PopupState['refreshing'] = null;
    let refreshed = false;
    const send = background({
      'state:get': () => popupState(refreshed ? manyKeys(60) : keys, { refreshing: progress }),
      refresh: () => {
        progress = { done: 2, total: 5 };
        return { ok: true };
      },
    });
    const root = await open({ pollMs: 0 });
    await ready(root);
    expect(byTestId(root, 'refresh-progress')).toBeNull();

    await click(byTestId(root, 'refresh'));
    const bar = await until(() => byTestId(root, 'refresh-progress'), 'the progress');
    expect(bar.textContent).toContain('2 of 5 instances read');
    expect(bar.closest('[role="status"]')).not.toBeNull();
    expect(byTestId<HTMLButtonElement>(root, 'refresh')!.disabled).toBe(true);
    expect(callsOf(send, 'refresh')).toEqual([{}]);
    const polled = callsOf(send, 'state:get').length;
    await until(() => callsOf(send, 'state:get').length > polled + 1, 'more polls');

    progress = null;
    refreshed = true;
    await until(() => !byTestId(root, 'refresh-progress'), 'the end of the refresh');
    expect(byTestId<HTMLButtonElement>(root, 'refresh')!.disabled).toBe(false);
    // The same live region then says how the refresh ended.
    expect(root.querySelector('p.progress[role="status"]')!.textContent).toBe('Refresh finished: 1 instance could not be read.');
    expect(byTestId(root, 'summary-never')!.textContent).toBe(String(bucketize(manyKeys(60)).never));
  });

  it('keeps polling a refresh that was already running when the popup opened', async () => {
    let progress: PopupState['refreshing'] = { done: 1, total: 5 };
    background({ 'state:get': () => popupState(manyKeys(10), { refreshing: progress }) });
    const root = await open({ pollMs: 0 });
    await until(() => byTestId(root, 'refresh-progress')?.textContent?.includes('1 of 5'), 'the running refresh');
    progress = { done: 4, total: 5 };
    await until(() => byTestId(root, 'refresh-progress')?.textContent?.includes('4 of 5'), 'the next poll');
    progress = null;
    await until(() => !byTestId(root, 'refresh-progress'), 'the end of the refresh');
  });

  it('shows why a refresh could not start', async () => {
    background({ 'state:get': () => popupState(manyKeys(10)), refresh: () => ({ ok: false, error: 'KeyAtlas is locked' }) });
    const root = await open({ pollMs: 0 });
    await ready(root);
    await click(byTestId(root, 'refresh'));
    const alert = await until(() => root.querySelector('[role="alert"]'), 'the refresh error');
    expect(alert.textContent).toBe('The refresh did not startKeyAtlas is locked');
  });
});

describe('managed configuration', () => {
  it('marks managed instances and starts the export in the policy’s key mode', async () => {
    const state = popupState(manyKeys(5), { defaultKeyMode: 'omit' });
    state.instances[0] = { ...state.instances[0]!, managed: true };
    const send = background({ 'state:get': () => state, export: () => ({ ok: true, fileName: 'keyatlas-all-2026-01-01.csv', rows: 5 }) });
    const root = await open();
    await ready(root);
    const managed = [...root.querySelectorAll('[data-testid="instance-row"]')].filter((row) => byTestId(row as HTMLElement, 'managed'));
    expect(managed.map((row) => (row as HTMLElement).dataset.instance)).toEqual([state.instances[0]!.name]);
    expect(root.querySelector<HTMLSelectElement>('select[name="keys"]')!.value).toBe('omit');
    await click(byTestId(root, 'export-all'));
    await until(() => callsOf(send, 'export').length > 0, 'the export');
    expect(callsOf(send, 'export')).toEqual([{ keys: 'omit' }]);
  });
});

describe('ahead of expiry', () => {
  const withLinks = (keys = manyKeys(MAX_KEY_ROWS * 3)) => {
    const state = popupState(keys);
    state.instances = state.instances.map((inst) => ({ ...inst, consoleUrl: `https://${inst.name}.example/console` }));
    return state;
  };

  it('links every instance row and key row to its console page', async () => {
    background({ 'state:get': () => withLinks() });
    const root = await open();
    await ready(root);
    for (const row of root.querySelectorAll('[data-testid="instance-row"]')) {
      const link = row.querySelector<HTMLAnchorElement>('a[data-testid="open-console"]')!;
      expect(link.getAttribute('href')).toBe(`https://${row.getAttribute('data-instance')}.example/console`);
      expect(link.getAttribute('aria-label')).toContain(row.getAttribute('data-instance')!);
    }
    const keyRows = await allRows(root, MAX_KEY_ROWS);
    for (const row of keyRows) {
      expect(row.querySelector('a[data-testid="open-console"]')!.getAttribute('href')).toBe(`https://${row.getAttribute('data-instance')}.example/console`);
      expect(row.hasAttribute('data-key-id')).toBe(true);
    }
  });

  it('shows whose each key is, and counts orphaned keys on their instance row', async () => {
    const login = new Date(Date.now() - 2 * 86_400_000).toISOString();
    const keys = [
      keyMeta({ instance: 'xsoar', vendor: 'cortex-xsoar', owner: 'alice@example.com', key_id: '31', expiresInDays: 40.5, owner_state: 'active', owner_last_login: login }),
      keyMeta({ instance: 'xsoar', vendor: 'cortex-xsoar', owner: 'carol', key_id: '43', expiresInDays: 6.5, owner_state: 'inactive' }),
      keyMeta({ instance: 'xsoar', vendor: 'cortex-xsoar', owner: 'svc-siem', key_id: '41', expiresInDays: null, owner_state: 'orphaned' }),
      keyMeta({ instance: 'vault-hq', vendor: 'metadefender-vault', owner: 'alice', key_id: '7', expiresInDays: 3.5 }),
    ];
    keysBackground(keys);
    const root = await open();
    const list = await allRows(root, 4);
    const state = (id: string) => list.find((r) => r.getAttribute('data-key-id') === id)!.querySelector('[data-testid="owner-state"]');
    expect(state('31')?.getAttribute('data-state')).toBe('active');
    expect(state('31')?.closest('td')?.textContent).toContain('last login');
    expect(state('43')?.getAttribute('data-state')).toBe('inactive');
    expect(state('43')?.closest('td')?.textContent).toContain('never logged in');
    expect(state('41')?.getAttribute('data-state')).toBe('orphaned');
    expect(state('41')?.getAttribute('title')).toContain('no longer in the tenant');
    // No user list, no mark.
    expect(state('7')).toBeNull();
    const xsoar = root.querySelector('[data-testid="instance-row"][data-instance="xsoar"]')!;
    expect(byTestId(xsoar as HTMLElement, 'instance-orphaned')?.textContent).toBe('1 orphaned key');
    expect(root.querySelector('[data-testid="instance-row"][data-instance="vault-hq"] [data-testid="instance-orphaned"]')).toBeNull();
  });

  it('under a rotation policy: a rotate chip lists the keys older than it, the summary counts them, the rows say so', async () => {
    const keys = [
      keyMeta({ instance: 'vault-hq', vendor: 'metadefender-vault', owner: 'alice', key_id: 'old', expiresInDays: 50.5, ageDays: 400 }),
      keyMeta({ instance: 'vault-hq', vendor: 'metadefender-vault', owner: 'bob', key_id: 'new', expiresInDays: 5.5, ageDays: 10 }),
      keyMeta({ instance: 'core', vendor: 'metadefender-core', owner: 'LOCAL\\admin', key_id: '1', expiresInDays: null }),
    ];
    const send = background({ 'state:get': () => popupState(keys, { maxKeyAgeDays: 365 }), 'keys:view': (filter) => keysViewOf(keys, { ...filter, maxKeyAgeDays: 365 }) });
    const root = await open();
    await allRows(root, 3);
    expect(byTestId(root, 'summary-rotate')?.textContent).toBe('1');
    expect(root.querySelectorAll('[data-testid="key-rotate"]')).toHaveLength(1);
    const chip = byTestId(root, 'filter-rotate')!;
    expect(chip.getAttribute('title')).toBe('Keys older than 365 days (rotation policy)');
    await click(chip);
    expect(chip.getAttribute('aria-pressed')).toBe('true');
    await until(() => rows(root).length === 1, 'the rotate list');
    expect(rows(root)[0]!.getAttribute('data-key-id')).toBe('old');
    expect(callsOf(send, 'keys:view').at(-1)).toMatchObject({ within: 'rotate' });
  });

  it('without a rotation policy there is no rotate chip and no rotate count', async () => {
    keysBackground([keyMeta({ instance: 'vault-hq', vendor: 'metadefender-vault', owner: 'alice', key_id: 'old', expiresInDays: 50.5, ageDays: 4000 })]);
    const root = await open();
    await ready(root);
    expect(byTestId(root, 'filter-rotate')).toBeNull();
    expect(byTestId(root, 'summary-rotate')).toBeNull();
    expect(root.querySelector('[data-testid="key-rotate"]')).toBeNull();
  });

  it('key-search finds a key beyond the rows drawn, and combines with the day filters', async () => {
    const far = keyMeta({ instance: INSTANCES[0]!.name, vendor: INSTANCES[0]!.vendor, owner: 'needle-owner', key_id: 'zz-99', expiresInDays: 300.5 });
    const keys = [...manyKeys(MAX_KEY_ROWS * 3), far];
    keysBackground(keys, () => withLinks(keys));
    const root = await open();
    await ready(root);
    expect(root.querySelector('[data-key-id="zz-99"]')).toBeNull();
    await setValue(byTestId(root, 'key-search'), 'NEEDLE');
    const keyIds = () => [...root.querySelectorAll('[data-testid="key-row"]')].map((r) => r.getAttribute('data-key-id'));
    await until(() => keyIds().join() === 'zz-99', 'the search answer');
    await click(root.querySelector('[data-window="90"]'));
    await until(() => root.textContent?.includes('No key matches.'), 'the empty list');
    expect(root.querySelectorAll('[data-testid="key-row"]')).toHaveLength(0);
  });

  it('while a search waits for its answer, shows the list on show, never an older answer', async () => {
    const needle = keyMeta({ instance: INSTANCES[0]!.name, vendor: INSTANCES[0]!.vendor, owner: 'needle-owner', key_id: 'zz-99', expiresInDays: 300.5 });
    const keys = [...manyKeys(30), needle];
    let held: (() => void) | undefined;
    background({
      'state:get': () => withLinks(keys),
      'keys:view': async (filter) => {
        if (filter.query === 'other') await new Promise<void>((resolve) => (held = resolve));
        return keysViewOf(keys, filter);
      },
    });
    const root = await open();
    await ready(root);
    const whole = (await allRows(root, 31)).map((r) => r.getAttribute('data-key-id'));
    const keyIds = () => rows(root).map((r) => r.getAttribute('data-key-id'));
    await setValue(byTestId(root, 'key-search'), 'needle');
    await until(() => keyIds().join() === 'zz-99', 'the search answer');
    await setValue(byTestId(root, 'key-search'), '');
    await until(() => keyIds().join() === whole.join(), 'the whole list again');
    await setValue(byTestId(root, 'key-search'), 'other');
    await until(() => held, 'the question asked');
    expect(root.querySelector('section.keys')!.getAttribute('aria-busy')).toBe('true');
    expect(keyIds()).toEqual(whole);
    held!();
    await until(() => root.querySelector('section.keys')!.getAttribute('aria-busy') === 'false' || null, 'the answer');
  });

  it('shows changes per instance, and nothing when no instance has any', async () => {
    const state = withLinks();
    state.instances[0] = {
      ...state.instances[0]!,
      changes: { added: 1, removed: 0, expiry: 1, items: [{ kind: 'expiry', owner: 'alice', key_id: '11', description: 'Nightly backup', before: '2026-12-01T00:00:00.000Z', after: '' }] },
    };
    background({ 'state:get': () => state });
    const root = await open();
    await ready(root);
    const changes = byTestId(root, 'changes')!;
    expect(changes.textContent).toContain(`${state.instances[0]!.name}: 1 added, 0 removed, 1 expiry changed`);
    expect(changes.textContent).toContain('alice #11 “Nightly backup”: expiry');
    expect(changes.textContent).toContain('→ never');

    await unmount(root);
    background({ 'state:get': () => withLinks() });
    const plain = await open();
    await ready(plain);
    expect(byTestId(plain, 'changes')).toBeNull();
  });

  it('the timeline counts expired and weekly keys, tells them in a table, and a bar click filters the list', async () => {
    const inst = INSTANCES[0]!;
    const k = (id: string, days: number | null) => keyMeta({ instance: inst.name, vendor: inst.vendor, owner: id, key_id: id, expiresInDays: days });
    const keys = [k('gone', -3.5), k('w0', 2.5), k('w1a', 8.5), k('w1b', 9.5), k('later', 200.5), k('never', null)];
    keysBackground(keys, () => withLinks(keys));
    const root = await open();
    await ready(root);
    const table = root.querySelector('.timeline table')!;
    const cells = [...table.querySelectorAll('tbody tr')].map((tr) => tr.querySelector('td')!.textContent);
    expect(cells).toEqual(['1', '1', '2', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0']);
    const bars = [...root.querySelectorAll('.timeline [role="button"]')];
    expect(bars).toHaveLength(13);
    expect(bars[2]!.getAttribute('aria-label')).toMatch(/^Week 2 \(.+\): 2 keys$/);
    // An SVG element has no .click(): the event a pointer sends.
    bars[2]!.dispatchEvent(new Event('focus'));
    bars[2]!.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    await until(() => root.querySelectorAll('[data-testid="key-row"]').length === 2 || null, 'the week filter');
    expect(byTestId(root, 'timeline-active')!.textContent).toMatch(/: 2 keys$/);
    expect([...root.querySelectorAll('[data-testid="key-row"]')].map((r) => r.getAttribute('data-key-id'))).toEqual(['w1a', 'w1b']);
    await click(byText(root, 'Show every week'));
    await until(() => root.querySelectorAll('[data-testid="key-row"]').length === 6 || null, 'every week again');
  });
});
