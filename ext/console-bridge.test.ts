import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ResolvedInstance } from '../lib/config';
import { COVERAGE } from '../lib/coverage';
import type { ConsoleProgress } from '../lib/messages';
import { header, type MockServer, startMock } from '../test/mock-vendors/server';
import { type ConsoleBridgeDeps, createConsoleBridge, xsoarSessionNote } from './console-bridge';
import { lockedText } from './background/instance-store';
import type { SenderInfo } from './background/senders';

const EXTENSION_ID = 'keyatlas-test-id';
const API_KEY = 'core-admin-key-0123456789abcdef';
const PASSWORD = 'mdss-password-!Sup3rSecret';
const SESSION = 'core-session-7f1e2d3c4b5a69788796a5b4';
const XSOAR_KEY = 'xsoar-key-DCdIeow0xm73EwnxjPza1tdHTfZQv2eH7b';
const USER_KEYS = ['user-key-aaaaaaaaaaaaaaaaaaaaaaaa', 'user-key-bbbbbbbbbbbbbbbbbbbbbbbb'];
const SECRETS = [API_KEY, PASSWORD, SESSION, XSOAR_KEY, ...USER_KEYS];

/** A Core-like server: lists users (with their key values) to the right apikey header only. */
let core: MockServer;
beforeAll(async () => {
  core = await startMock('core', (req) => {
    if (req.path !== '/admin/user') return undefined;
    const key = header(req, 'apikey');
    if (key !== API_KEY && key !== SESSION) return { status: 401, json: { err: 'Invalid apikey' } };
    return {
      json: [
        { id: 1, name: 'admin', directory_id: 1, api_key: USER_KEYS[0] },
        { id: 2, name: 'scan-gw', directory_id: 1, api_key: USER_KEYS[1] },
        { id: 3, name: 'j.doe', directory_id: 2 },
      ],
    };
  });
});
afterAll(() => core.close());

function coreOrigin() {
  return core.url;
}

function instances(): ResolvedInstance[] {
  return [
    { name: 'core-prod', vendor: 'metadefender-core', url: coreOrigin(), apiKey: API_KEY },
    { name: 'core-login', vendor: 'metadefender-core', url: 'https://core-login.example:8008', username: 'admin', password: PASSWORD },
    { name: 'vault', vendor: 'metadefender-vault', url: 'https://vault.example:8010', apiKey: 'vault-key-0123456789abcdef' },
    { name: 'xsoar', vendor: 'cortex-xsoar', url: 'https://api-tenant.xdr.example', apiKey: XSOAR_KEY, apiKeyId: '2841' },
  ];
}

/** The background's export, reduced to what matters here: one real list call with the chosen credential. */
function realExport(seen: ResolvedInstance[]): ConsoleBridgeDeps['exportInstances'] {
  return async (list, onProgress) => {
    seen.push(...list);
    const inst = list[0]!;
    const res = await fetch(`${inst.url}/admin/user`, { headers: { apikey: inst.sessionToken ?? inst.apiKey ?? '' } });
    const body = (await res.json()) as { err?: string; api_key?: string }[] & { err?: string };
    if (!res.ok) return { ok: false, error: `${inst.name}: HTTP ${res.status} ${body.err} (sent ${inst.apiKey})` };
    const withKeys = body.filter((u) => u.api_key);
    withKeys.forEach((_, i) => onProgress(i + 1, withKeys.length));
    return { ok: true, rows: withKeys.length, fileName: `keyatlas-${inst.name}-2026-01-31.csv`, coverage: { [inst.name]: COVERAGE[inst.vendor] } };
  };
}

function tabSender(url: string, extra: Partial<SenderInfo> = {}): SenderInfo {
  return { id: EXTENSION_ID, tab: { id: 42, url }, frameId: 0, url, origin: new URL(url).origin, ...extra };
}

let seen: ResolvedInstance[];
let notified: [number, ConsoleProgress][];
let opened: string[];
let deps: ConsoleBridgeDeps;
beforeEach(() => {
  seen = [];
  notified = [];
  opened = [];
  deps = {
    listInstances: async () => instances(),
    exportInstances: realExport(seen),
    openOptions: async (hash) => void opened.push(hash),
    notify: (tabId, progress) => notified.push([tabId, progress]),
  };
});

const coreSession = { vendor: 'metadefender-core' as const, token: SESSION };

function expectNoSecrets(value: unknown) {
  const text = JSON.stringify(value);
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

describe('sender checks', () => {
  const page = () => `${coreOrigin()}/#/user-management/users`;

  it.each([
    ['a spoofed extension id', () => tabSender(page(), { id: 'evil-extension' })],
    ['no extension id', () => tabSender(page(), { id: undefined })],
    ['no tab (an extension page or worker)', () => ({ ...tabSender(page()), tab: undefined })],
    ['a sub-frame', () => tabSender(page(), { frameId: 3 })],
    ['a frame whose origin differs from its tab', () => tabSender(page(), { origin: 'https://evil.example', url: 'https://evil.example/' })],
    ['a non-web tab', () => tabSender('chrome://settings/')],
  ])('refuses %s for both requests', async (_, sender) => {
    const bridge = createConsoleBridge(deps);
    await expect(bridge.handle('console:info', sender(), EXTENSION_ID)).rejects.toThrow(/KeyAtlas refused/);
    await expect(bridge.handle('console:export', sender(), EXTENSION_ID)).rejects.toThrow(/KeyAtlas refused/);
    expect(seen).toEqual([]);
  });

  it('refuses every sender when the extension id is unknown', async () => {
    await expect(createConsoleBridge(deps).handle('console:info', tabSender(page(), { id: '' }), '')).rejects.toThrow(/refused/);
  });

  it('takes the origin from the tab when the sender has no origin field (Firefox before 126)', async () => {
    const reply = await createConsoleBridge(deps).handle('console:info', tabSender(page(), { origin: undefined }), EXTENSION_ID);
    expect(reply).toEqual({ instance: 'core-prod', vendor: 'metadefender-core', credential: 'apiKey' });
  });
});

describe('console:info', () => {
  it('names the instance of the tab origin and the credential an export would use', async () => {
    const bridge = createConsoleBridge(deps);
    expect(await bridge.handle('console:info', tabSender('https://core-login.example:8008/#/dashboard'), EXTENSION_ID)).toEqual({
      instance: 'core-login',
      vendor: 'metadefender-core',
      credential: 'apiKey',
    });
  });

  it('maps the XSOAR console host to the api- instance', async () => {
    const reply = await createConsoleBridge(deps).handle('console:info', tabSender('https://tenant.xdr.example/settings/configurations/api-keys'), EXTENSION_ID);
    expect(reply).toEqual({ instance: 'xsoar', vendor: 'cortex-xsoar', credential: 'apiKey' });
  });

  it('offers to add an unconfigured console, guessing the vendor from its key page', async () => {
    const bridge = createConsoleBridge(deps);
    expect(await bridge.handle('console:info', tabSender('https://vault2.example:8010/#/settings/security/api-keys'), EXTENSION_ID)).toEqual({
      instance: null,
      vendor: 'metadefender-vault',
      credential: 'none',
    });
    expect(await bridge.handle('console:info', tabSender('https://intranet.example/wiki'), EXTENSION_ID)).toEqual({
      instance: null,
      vendor: null,
      credential: 'none',
    });
  });

  it('says plainly that KeyAtlas is locked', async () => {
    const bridge = createConsoleBridge({ ...deps, listInstances: async () => 'locked' });
    const reply = await bridge.handle('console:info', tabSender(`${coreOrigin()}/#/user-management/users`), EXTENSION_ID);
    expect(reply).toEqual({ instance: null, vendor: 'metadefender-core', credential: 'none', note: lockedText() });
  });
});

describe('zero setup: a live session on a console with no configured instance', () => {
  const unconfigured = async () => instances().filter((i) => i.name !== 'core-prod');
  const sessionFor = async (origin: string) => (origin === coreOrigin() ? coreSession : undefined);
  const host = () => new URL(coreOrigin()).host;

  it('console:info says the export will use the current session, naming the console host', async () => {
    const bridge = createConsoleBridge({ ...deps, listInstances: unconfigured, sessionFor });
    expect(await bridge.handle('console:info', tabSender(`${coreOrigin()}/#/user-management/users`), EXTENSION_ID)).toEqual({
      instance: host(),
      vendor: 'metadefender-core',
      credential: 'session',
      configured: false,
    });
  });

  it('console:export reads the console with the session alone, on the tab origin', async () => {
    const bridge = createConsoleBridge({ ...deps, listInstances: unconfigured, sessionFor });
    const reply = await bridge.handle('console:export', tabSender(`${coreOrigin()}/#/user-management/users`), EXTENSION_ID);
    expect(reply).toEqual({ ok: true, rows: 2, fileName: `keyatlas-${host()}-2026-01-31.csv`, credential: 'session', coverage: 'all users' });
    expect(seen).toEqual([{ name: host(), vendor: 'metadefender-core', url: coreOrigin(), sessionToken: SESSION }]);
    expectNoSecrets(reply);
  });

  it('a session that stopped working ends in a redacted error', async () => {
    const stale = async () => ({ vendor: 'metadefender-core' as const, token: `${SESSION}-logged-out` });
    const bridge = createConsoleBridge({ ...deps, listInstances: unconfigured, sessionFor: stale });
    const reply = await bridge.handle('console:export', tabSender(`${coreOrigin()}/`), EXTENSION_ID);
    expect(reply).toMatchObject({ ok: false, error: expect.stringContaining('HTTP 401') });
    expectNoSecrets(reply);
  });

  it('an XSOAR console says its session cannot be used and points to the options', async () => {
    const bridge = createConsoleBridge({ ...deps, listInstances: async () => [], sessionFor });
    expect(await bridge.handle('console:info', tabSender('https://other.xdr.example/settings/configurations/api-keys'), EXTENSION_ID)).toEqual({
      instance: null,
      vendor: 'cortex-xsoar',
      credential: 'none',
      note: xsoarSessionNote(),
    });
  });
});

describe('console:options', () => {
  it('opens the add form built from the tab origin and the detected vendor, never from the page', async () => {
    const bridge = createConsoleBridge(deps);
    await bridge.handle('console:options', tabSender('https://vault2.example:8010/#/settings/security/api-keys?url=https://evil.example'), EXTENSION_ID);
    expect(opened).toEqual([`#add?url=${encodeURIComponent('https://vault2.example:8010')}&vendor=metadefender-vault`]);
  });

  it('takes the vendor from a live session when the page is no key page', async () => {
    const bridge = createConsoleBridge({ ...deps, listInstances: async () => [], sessionFor: async () => coreSession });
    await bridge.handle('console:options', tabSender(`${coreOrigin()}/#/dashboard`), EXTENSION_ID);
    expect(opened).toEqual([`#add?url=${encodeURIComponent(coreOrigin())}&vendor=metadefender-core`]);
  });

  it('opens the plain options page for a configured instance or while locked', async () => {
    await createConsoleBridge(deps).handle('console:options', tabSender('https://tenant.xdr.example/settings/configurations/api-keys'), EXTENSION_ID);
    await createConsoleBridge({ ...deps, listInstances: async () => 'locked' }).handle('console:options', tabSender('https://new.example/'), EXTENSION_ID);
    expect(opened).toEqual(['', '']);
  });

  it('refuses a sender that is no console tab', async () => {
    await expect(createConsoleBridge(deps).handle('console:options', tabSender('https://new.example/', { frameId: 2 }), EXTENSION_ID)).rejects.toThrow(/refused/);
    expect(opened).toEqual([]);
  });
});

describe('console:export', () => {
  it('exports the tab origin’s instance with its API key, forwarding progress to the tab', async () => {
    const reply = await createConsoleBridge(deps).handle('console:export', tabSender(`${coreOrigin()}/#/user-management/users`), EXTENSION_ID);
    expect(reply).toEqual({ ok: true, rows: 2, fileName: 'keyatlas-core-prod-2026-01-31.csv', credential: 'apiKey', coverage: 'all users' });
    expect(seen.map((i) => i.name)).toEqual(['core-prod']);
    expect(seen[0]!.sessionToken).toBeUndefined();
    expect(notified).toEqual([
      [42, { read: 1, total: 2 }],
      [42, { read: 2, total: 2 }],
    ]);
    expectNoSecrets(reply);
  });

  it('refuses an origin that is no configured instance and has no live session, whatever the page is', async () => {
    const bridge = createConsoleBridge(deps);
    await expect(bridge.handle('console:export', tabSender('https://core.example:9999/#/user-management/users'), EXTENSION_ID)).rejects.toThrow(
      /not a configured KeyAtlas instance and has no live console session/,
    );
    expect(seen).toEqual([]);
  });

  it('ignores a live session of another vendor than the configured instance', async () => {
    const keyless = instances().map((i) => (i.name === 'core-prod' ? { ...i, apiKey: undefined } : i));
    const bridge = createConsoleBridge({ ...deps, listInstances: async () => keyless, sessionFor: async () => ({ vendor: 'metadefender-vault', token: SESSION }) });
    expect(await bridge.handle('console:info', tabSender(`${coreOrigin()}/`), EXTENSION_ID)).toMatchObject({ instance: 'core-prod', credential: 'none' });
  });

  it('uses the live session for an MDSS instance configured with only an API key, which cannot list keys (docs/contract.md#metadefender-storage-security)', async () => {
    const mdss: ResolvedInstance = { name: 'mdss', vendor: 'metadefender-storage', url: coreOrigin(), apiKey: API_KEY };
    const exportInstances = vi.fn<ConsoleBridgeDeps['exportInstances']>(async () => ({ ok: true, rows: 1, fileName: 'keyatlas-mdss-2026-01-31.csv', coverage: {} }));
    const sessionFor = vi.fn(async () => ({ vendor: 'metadefender-storage' as const, token: SESSION }));
    const bridge = createConsoleBridge({ ...deps, listInstances: async () => [mdss], exportInstances, sessionFor });
    expect(await bridge.handle('console:export', tabSender(`${coreOrigin()}/settings/users`), EXTENSION_ID)).toMatchObject({ ok: true, credential: 'session' });
    expect(exportInstances.mock.calls[0]![0][0]).toMatchObject({ name: 'mdss', sessionToken: SESSION });

    // Without a session the key is still tried, so the adapter can say plainly why it cannot list keys.
    const noSession = createConsoleBridge({ ...deps, listInstances: async () => [mdss], exportInstances, sessionFor: async () => undefined });
    expect(await noSession.handle('console:info', tabSender(`${coreOrigin()}/settings/users`), EXTENSION_ID)).toMatchObject({ credential: 'apiKey' });
  });

  it('uses the console session when no API key or password is configured', async () => {
    const sessionFor = vi.fn(async (origin: string) => (origin === coreOrigin() ? coreSession : undefined));
    const keyless = () => instances().map((i) => (i.name === 'core-prod' ? { ...i, apiKey: undefined } : i));
    const bridge = createConsoleBridge({ ...deps, listInstances: async () => keyless(), sessionFor });
    const sender = tabSender(`${coreOrigin()}/#/user-management/users`);

    expect(await bridge.handle('console:info', sender, EXTENSION_ID)).toEqual({ instance: 'core-prod', vendor: 'metadefender-core', credential: 'session' });
    const reply = await bridge.handle('console:export', sender, EXTENSION_ID);
    expect(reply).toEqual({ ok: true, rows: 2, fileName: 'keyatlas-core-prod-2026-01-31.csv', credential: 'session', coverage: 'all users' });
    expect(seen[0]!.sessionToken).toBe(SESSION);
    expect(sessionFor).toHaveBeenCalledWith(coreOrigin());
    expectNoSecrets(reply);
  });

  it('prefers the configured API key over a live session', async () => {
    const sessionFor = vi.fn(async () => coreSession);
    const reply = await createConsoleBridge({ ...deps, sessionFor }).handle('console:export', tabSender(`${coreOrigin()}/`), EXTENSION_ID);
    expect(reply).toMatchObject({ ok: true, credential: 'apiKey' });
    expect(sessionFor).not.toHaveBeenCalled();
  });

  it('explains what to do when there is neither a key nor a session', async () => {
    const keyless = instances().map((i) => (i.name === 'core-prod' ? { ...i, apiKey: undefined } : i));
    const bridge = createConsoleBridge({ ...deps, listInstances: async () => keyless, sessionFor: async () => undefined });
    const sender = tabSender(`${coreOrigin()}/#/user-management/users`);
    const info = await bridge.handle('console:info', sender, EXTENSION_ID);
    expect(info).toMatchObject({ instance: 'core-prod', credential: 'none', note: expect.stringContaining('add an API key or a password in KeyAtlas options') });
    expect(await bridge.handle('console:export', sender, EXTENSION_ID)).toEqual({ ok: false, error: info.note });
    expect(seen).toEqual([]);
  });

  it('never exports XSOAR with a console session: its public API takes API keys only', async () => {
    const keyless = instances().map((i) => (i.vendor === 'cortex-xsoar' ? { ...i, apiKey: undefined } : i));
    const sessionFor = vi.fn(async () => coreSession);
    const bridge = createConsoleBridge({ ...deps, listInstances: async () => keyless, sessionFor });
    const sender = tabSender('https://tenant.xdr.example/settings/configurations/api-keys');
    expect(await bridge.handle('console:info', sender, EXTENSION_ID)).toEqual({
      instance: 'xsoar',
      vendor: 'cortex-xsoar',
      credential: 'none',
      note: xsoarSessionNote(),
    });
    expect(await bridge.handle('console:export', sender, EXTENSION_ID)).toEqual({ ok: false, error: xsoarSessionNote() });
    expect(sessionFor).not.toHaveBeenCalled();
  });

  it('passes the XSOAR api- instance to the export when asked from the console host', async () => {
    const exportInstances = vi.fn<ConsoleBridgeDeps['exportInstances']>(async () => ({ ok: true, rows: 0, fileName: 'keyatlas-xsoar-2026-01-31.csv', coverage: {} }));
    const reply = await createConsoleBridge({ ...deps, exportInstances }).handle(
      'console:export',
      tabSender('https://tenant.xdr.example/settings/configurations/api-keys'),
      EXTENSION_ID,
    );
    expect(reply).toEqual({ ok: true, rows: 0, fileName: 'keyatlas-xsoar-2026-01-31.csv', credential: 'apiKey' });
    expect(exportInstances.mock.calls[0]![0].map((i) => i.url)).toEqual(['https://api-tenant.xdr.example']);
  });

  it('says plainly that KeyAtlas is locked', async () => {
    const bridge = createConsoleBridge({ ...deps, listInstances: async () => 'locked' });
    expect(await bridge.handle('console:export', tabSender(`${coreOrigin()}/`), EXTENSION_ID)).toEqual({ ok: false, error: lockedText() });
  });

  it('reports a failed export in plain words with every secret redacted', async () => {
    const wrongKey = instances().map((i) => (i.name === 'core-prod' ? { ...i, apiKey: `${API_KEY}-revoked` } : i));
    const bridge = createConsoleBridge({ ...deps, listInstances: async () => wrongKey });
    const reply = await bridge.handle('console:export', tabSender(`${coreOrigin()}/`), EXTENSION_ID);
    expect(reply).toEqual({ ok: false, error: 'core-prod: HTTP 401 Invalid apikey (sent [redacted])' });
    expectNoSecrets(reply);
  });

  it('turns a thrown export into a redacted error reply', async () => {
    const exportInstances = async (list: ResolvedInstance[]) => {
      throw new Error(`socket hang up while sending apikey ${list[0]!.apiKey}`);
    };
    const reply = await createConsoleBridge({ ...deps, exportInstances }).handle('console:export', tabSender(`${coreOrigin()}/`), EXTENSION_ID);
    expect(reply).toEqual({ ok: false, error: 'Export of core-prod failed: socket hang up while sending apikey [redacted]' });
  });

  it('drops any extra field an export result might carry', async () => {
    const exportInstances = async () => ({
      ok: true as const,
      rows: 2,
      fileName: 'keyatlas-core-prod-2026-01-31.csv',
      keys: USER_KEYS,
      coverage: { 'core-prod': 'all users' as const, xsoar: 'tenant' as const },
    });
    const reply = await createConsoleBridge({ ...deps, exportInstances }).handle('console:export', tabSender(`${coreOrigin()}/`), EXTENSION_ID);
    expect(Object.keys(reply).sort()).toEqual(['coverage', 'credential', 'fileName', 'ok', 'rows']);
    // Its own instance's coverage only.
    expect(reply).toMatchObject({ coverage: 'all users' });
    expectNoSecrets(reply);
  });
});

describe('console export limits (docs/contract.md#trust-boundaries)', () => {
  const page = () => `${coreOrigin()}/#/user-management/users`;

  it('refuses a frame with an opaque origin even when its tab shows the console', async () => {
    const bridge = createConsoleBridge(deps);
    for (const type of ['console:info', 'console:export', 'console:options'] as const)
      await expect(bridge.handle(type as 'console:info', tabSender(page(), { origin: 'null' }), EXTENSION_ID)).rejects.toThrow(/opaque origin/);
    expect(seen).toEqual([]);
    expect(opened).toEqual([]);
  });

  it('gives a page script looping over export one download, not a hundred; again after 10 s', async () => {
    let clock = 1_000_000;
    const bridge = createConsoleBridge({ ...deps, now: () => clock });
    const replies = await Promise.all(Array.from({ length: 100 }, () => bridge.handle('console:export', tabSender(page()), EXTENSION_ID)));
    expect(replies.filter((r) => r.ok)).toHaveLength(1);
    expect(seen).toHaveLength(1);
    for (let i = 0; i < 20; i++) expect(await bridge.handle('console:export', tabSender(page()), EXTENSION_ID)).toMatchObject({ ok: false });
    expect(seen).toHaveLength(1);
    clock += 10_000;
    expect(await bridge.handle('console:export', tabSender(page()), EXTENSION_ID)).toMatchObject({ ok: true });
    expect(seen).toHaveLength(2);
  });
});
