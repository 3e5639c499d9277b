import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { csvFileName } from '../../lib/csv';
import { CORE_ADMIN_KEY, CORE_ADMIN_PASSWORD, CORE_ADMIN_USER, startCoreMock } from '../../test/mock-vendors/metadefender-core';
import { STORAGE_ADMIN_PASSWORD, STORAGE_ADMIN_USER, startStorageMock } from '../../test/mock-vendors/metadefender-storage';
import { startVaultMock, VAULT_ADMIN_KEY, VAULT_ADMIN_PASSWORD, VAULT_USERNAME } from '../../test/mock-vendors/metadefender-vault';
import type { MockServer } from '../../test/mock-vendors/server';
import { observeConsoleSessions } from './sessions';
import { downloadedText, loadApp, senders, stubBrowserApis } from '../../test/support/background';

const NOW = new Date();
const DATE = NOW.toISOString().slice(0, 10);

let core: MockServer;
let mdss: MockServer;
let vault: MockServer;
let browserApis: ReturnType<typeof stubBrowserApis>;

beforeAll(async () => {
  [core, mdss, vault] = await Promise.all([startCoreMock(), startStorageMock({ now: NOW }), startVaultMock({ now: NOW })]);
});
afterAll(async () => {
  await Promise.all([core.close(), mdss.close(), vault.close()]);
});
// The mock consoles' host, granted on its own as the options page grants it (docs/contract.md#session-capture: never via a wildcard).
const SINGLE_GRANT = 'http://127.0.0.1/*';
beforeEach(() => {
  fakeBrowser.reset();
  browserApis = stubBrowserApis({ grantedPatterns: [SINGLE_GRANT] });
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** A background (fresh module world, as after a worker restart) observing webRequest as entrypoints/background does. */
async function background() {
  const loaded = await loadApp({ inventory: { http: { maxTries: 1, timeoutMs: 5_000 }, now: NOW }, blobUrls: false });
  observeConsoleSessions(loaded.app.sessions);
  const content = (type: 'console:info' | 'console:export' | 'console:options', pageUrl: string) => loaded.app.route(type, undefined, senders.content(pageUrl));
  return { ...loaded, content };
}

/** Each console's own sign-in, as its web page does it: the credential the page then sends. */
const login = {
  async core() {
    const res = await fetch(`${core.url}/login`, { method: 'POST', body: JSON.stringify({ user: CORE_ADMIN_USER, password: CORE_ADMIN_PASSWORD }) });
    return ((await res.json()) as { session_id: string }).session_id;
  },
  async mdss() {
    const res = await fetch(`${mdss.url}/api/user/authenticate`, { method: 'POST', body: JSON.stringify({ username: STORAGE_ADMIN_USER, password: STORAGE_ADMIN_PASSWORD }) });
    return ((await res.json()) as { accessToken: string }).accessToken;
  },
  async vault() {
    const basic = Buffer.from(`${VAULT_USERNAME}\r\n${VAULT_ADMIN_PASSWORD}`).toString('base64');
    const res = await fetch(`${vault.url}/vault_rest/authenticate`, { headers: { authorization: `Basic ${basic}` } });
    return ((await res.json()) as { token: string }).token;
  },
};

/** The console page's own API call: really sent to the mock, then reported to webRequest with the real status. */
async function consoleCall(apis: typeof browserApis, url: string, headers: Record<string, string>, extra: { tabId?: number; initiator?: string } = {}) {
  const { status } = await fetch(url, { headers });
  await apis.consoleRequest({ url, headers, status, ...extra });
  return status;
}

const calls = {
  core: (token: string) => [`${core.url}/admin/user`, { apikey: token }] as const,
  mdss: (token: string) => [`${mdss.url}/api/apikey`, { authorization: `Bearer ${token}` }] as const,
  vault: (token: string) => [`${vault.url}/vault_rest/tokens/0/50`, { authorization: `Bearer ${token}` }] as const,
};

/** Every value in storage.local, as text. */
async function localText(): Promise<string> {
  return JSON.stringify(await fakeBrowser.storage.local.get(null));
}

describe('capture', () => {
  it('keeps a session the console used successfully, per origin, in storage.session only', async () => {
    const { ask } = await background();
    const token = await login.core();
    expect(await consoleCall(browserApis, ...calls.core(token))).toBe(200);

    expect(await ask('sessions:list')).toEqual([{ origin: core.url, vendor: 'metadefender-core' }]);
    expect(JSON.stringify(await fakeBrowser.storage.session.get(null))).toContain(token);
    expect(await localText()).not.toContain(token);
    // Observed, never blocking or rewriting: only the request headers are asked for.
    expect(browserApis.webRequest.extraInfo).toEqual([['requestHeaders']]);
  });

  it('survives a worker restart (storage.session), and a newer credential replaces the older', async () => {
    await background();
    const old = await login.vault();
    await consoleCall(browserApis, ...calls.vault(old));

    const restarted = await background();
    expect(await restarted.ask('sessions:list')).toEqual([{ origin: vault.url, vendor: 'metadefender-vault' }]);
    const newer = await login.vault();
    await consoleCall(browserApis, ...calls.vault(newer));
    const stored = JSON.stringify(await fakeBrowser.storage.session.get(null));
    expect(stored).toContain(newer);
    expect(stored).not.toContain(old);
  });

  it('ignores the extension’s own calls, other sites’ cross-origin calls, refused calls and origins not granted', async () => {
    const { ask } = await background();
    const token = await login.core();
    await consoleCall(browserApis, ...calls.core(token), { tabId: -1 });
    await consoleCall(browserApis, ...calls.core(token), { initiator: 'https://evil.example' });
    expect(await consoleCall(browserApis, ...calls.core('CORE-SESSION-not-a-live-one-0000')), 'the console refused it').toBe(401);
    expect(await ask('sessions:list')).toEqual([]);

    vi.mocked(fakeBrowser.permissions.getAll).mockImplementation(async () => ({ origins: [], permissions: [] }));
    await consoleCall(browserApis, ...calls.core(token));
    expect(await ask('sessions:list')).toEqual([]);
    expect(JSON.stringify(await fakeBrowser.storage.session.get(null))).not.toContain(token);
  });
});

describe('capture is narrow (docs/contract.md#trust-boundaries)', () => {
  const APP_TOKEN = 'plain-web-app-bearer-token-0123456789';

  it('does not take a plain web app’s bearer token on a granted host for a console session', async () => {
    const { ask } = await background();
    // As a new user would: the host is granted, another app on it calls its own /api/… with a bearer token.
    for (const path of ['/api/items', '/api/user/me'])
      await browserApis.consoleRequest({ url: `${mdss.url}${path}`, headers: { authorization: `Bearer ${APP_TOKEN}` }, status: 200, pageUrl: `${mdss.url}/app/dashboard` });
    expect(await ask('sessions:list')).toEqual([]);
    expect(JSON.stringify(await fakeBrowser.storage.session.get(null))).not.toContain(APP_TOKEN);
  });

  it('does not let a page script on the console replace the real session by planting apikey on /', async () => {
    const { ask, app } = await background();
    const token = await login.core();
    await consoleCall(browserApis, ...calls.core(token));
    await browserApis.consoleRequest({ url: `${core.url}/`, headers: { apikey: 'PLANTED-by-a-page-script-0000' }, status: 200 });
    await browserApis.consoleRequest({ url: `${core.url}/admin/user`, headers: { apikey: 'PLANTED-html-reply-000000000' }, status: 200, contentType: 'text/html' });
    expect(await ask('sessions:list')).toEqual([{ origin: core.url, vendor: 'metadefender-core' }]);
    expect(await app.sessions.get(core.url)).toEqual({ vendor: 'metadefender-core', token });
  });

  it('captures nothing through a wildcard or all-sites grant', async () => {
    for (const pattern of ['http://*/*', '<all_urls>', '*://*/*', 'http://*.0.0.1/*']) {
      fakeBrowser.reset();
      browserApis = stubBrowserApis({ grantedPatterns: [pattern] });
      const { ask } = await background();
      await consoleCall(browserApis, ...calls.vault(await login.vault()));
      expect(await ask('sessions:list'), pattern).toEqual([]);
    }
  });
});

describe('drop', () => {
  it('drops the session when the console’s own call with it is refused (401/403), telling the console tab each time', async () => {
    const told: unknown[] = [];
    vi.spyOn(fakeBrowser.tabs, 'sendMessage').mockImplementation((async (tabId: number, message: { type: string; data: unknown }) => {
      told.push([tabId, message.type, message.data]);
    }) as never);
    const { ask } = await background();
    const token = await login.core();
    await consoleCall(browserApis, ...calls.core(token));
    await consoleCall(browserApis, ...calls.core(token));
    expect(told).toEqual([[7, 'console:session', undefined]]);

    await fetch(`${core.url}/logout`, { method: 'POST', headers: { apikey: token } });
    expect(await consoleCall(browserApis, ...calls.core(token))).toBe(401);
    expect(await ask('sessions:list')).toEqual([]);
    expect(told).toEqual([
      [7, 'console:session', undefined],
      [7, 'console:session', undefined],
    ]);
    expect(JSON.stringify(told)).not.toContain(token);
  });

  it('keeps a newer session when an older one is refused', async () => {
    const { ask } = await background();
    const old = await login.core();
    const newer = await login.core();
    await consoleCall(browserApis, ...calls.core(newer));
    await browserApis.consoleRequest({ url: calls.core(old)[0], headers: calls.core(old)[1], status: 403 });
    expect(await ask('sessions:list')).toEqual([{ origin: core.url, vendor: 'metadefender-core' }]);
  });

  it('drops the session when KeyAtlas’s own call with it is refused, and says so in plain words', async () => {
    const { ask } = await background();
    const token = await login.mdss();
    await consoleCall(browserApis, ...calls.mdss(token));
    expect(await ask('sessions:list')).toHaveLength(1);
    // The console's token dies without the console noticing (e.g. its 60-minute lifetime, docs/contract.md#metadefender-storage-security).
    mdss.fault({ kind: 'status', status: 401, json: { title: 'Unauthorized' } }, { path: /^\/api\/apikey/, times: 1 });

    const reply = await ask('export:session', { origin: mdss.url, keys: 'masked' });
    expect(reply).toMatchObject({ ok: false, error: expect.stringContaining('HTTP 401') });
    expect(JSON.stringify(reply)).not.toContain(token);
    expect(await ask('sessions:list')).toEqual([]);
    expect(await ask('export:session', { origin: mdss.url, keys: 'masked' })).toMatchObject({ ok: false, error: expect.stringContaining('no live console session') });
  });
});

describe('use', () => {
  it.each([
    ['core', () => ({ name: new URL(core.url).host, vendor: 'metadefender-core', url: core.url, apiKey: CORE_ADMIN_KEY })],
    ['mdss', () => ({ name: new URL(mdss.url).host, vendor: 'metadefender-storage', url: mdss.url, username: STORAGE_ADMIN_USER, password: STORAGE_ADMIN_PASSWORD })],
    ['vault', () => ({ name: new URL(vault.url).host, vendor: 'metadefender-vault', url: vault.url, apiKey: VAULT_ADMIN_KEY })],
  ] as const)('%s: a session export writes exactly the CSV a configured export writes', async (vendor, configured) => {
    const { ask } = await background();
    const instance = configured();

    // With the configured credentials, under the console host's name (keys left out on both sides).
    await ask('instances:save', { instance });
    expect(await ask('export', { instance: instance.name, keys: 'omit' })).toMatchObject({ ok: true });
    await ask('instances:remove', { name: instance.name });

    // With zero setup: the console session only.
    const token = await login[vendor]();
    const [url, headers] = calls[vendor](token);
    await consoleCall(browserApis, url, headers);
    expect(await ask('sessions:list')).toEqual([{ origin: instance.url, vendor: instance.vendor }]);
    const reply = await ask('export:session', { origin: instance.url, keys: 'omit' });
    const fileName = csvFileName(instance.name, NOW);
    expect(reply).toMatchObject({ ok: true, fileName });
    expect(fileName).toBe(`keyatlas-${instance.name.replace(':', '_')}-${DATE}.csv`);

    const [byKey, bySession] = await Promise.all(browserApis.downloads.map((d) => downloadedText(d.url)));
    expect(bySession).toBe(byKey);
    expect(bySession!.split('\r\n').length).toBeGreaterThan(2);
    // Nothing of the session reached storage.local, the popup's cache included.
    expect(await localText()).not.toContain(token);
    expect((await ask('state:get')).instances).toEqual([]);
  });

  it('a console button exports with the session when nothing is configured, and no reply carries it', async () => {
    const { content } = await background();
    const token = await login.core();
    await consoleCall(browserApis, ...calls.core(token));
    const page = `${core.url}/#/user-management/users`;

    const replies = [await content('console:info', page), await content('console:export', page), await content('console:options', page)];
    expect(replies[0]).toEqual({ instance: new URL(core.url).host, vendor: 'metadefender-core', credential: 'session', configured: false });
    expect(replies[1]).toMatchObject({ ok: true, credential: 'session', fileName: csvFileName(new URL(core.url).host, NOW) });
    expect(replies[2]).toBeUndefined();
    expect(JSON.stringify(replies)).not.toContain(token);
    // console:options opened the add form for this origin in a new tab.
    const tabs = await fakeBrowser.tabs.query({});
    expect(tabs.map((t) => t.url)).toContain(`chrome-extension://test-extension-id/options.html#add?url=${encodeURIComponent(core.url)}&vendor=metadefender-core`);
  });

  it('the configured API key wins over a live session; the session serves a configured instance without a usable credential', async () => {
    const { ask, content } = await background();
    const token = await login.mdss();
    await consoleCall(browserApis, ...calls.mdss(token));
    const page = `${mdss.url}/settings/users`;

    // docs/contract.md#metadefender-storage-security: an MDSS API key alone cannot list keys, so the session is used for it.
    await ask('instances:save', { instance: { name: 'mdss', vendor: 'metadefender-storage', url: mdss.url, apiKey: 'MDSS-ADMIN-APIKEY-4c1d8e2f6a0b9c3d7e5f1a2b3c4d5e6f' } });
    expect(await content('console:info', page)).toEqual({ instance: 'mdss', vendor: 'metadefender-storage', credential: 'session' });
    expect(await content('console:export', page)).toMatchObject({ ok: true, rows: 1, credential: 'session' });
    expect((await ask('state:get')).instances).toMatchObject([{ name: 'mdss', ok: true, credential: 'session' }]);
    // A configured origin is no longer a "live console" of its own in the popup.
    expect(await ask('sessions:list')).toEqual([]);

    await ask('instances:save', { instance: { name: 'mdss', vendor: 'metadefender-storage', url: mdss.url, username: STORAGE_ADMIN_USER, password: STORAGE_ADMIN_PASSWORD } });
    expect(await content('console:info', page)).toEqual({ instance: 'mdss', vendor: 'metadefender-storage', credential: 'apiKey' });
    expect(await localText()).not.toContain(token);
  });

  it('is never part of a config export, with or without secrets', async () => {
    const { ask } = await background();
    const token = await login.vault();
    await consoleCall(browserApis, ...calls.vault(token));
    await ask('instances:save', { instance: { name: 'vault', vendor: 'metadefender-vault', url: vault.url, apiKey: VAULT_ADMIN_KEY } });
    await ask('export', { keys: 'masked' });
    for (const includeSecrets of [false, true]) {
      const reply = await ask('config:export', { includeSecrets });
      expect(reply).toMatchObject({ ok: true });
      expect(JSON.stringify(reply)).not.toContain(token);
    }
    expect(await localText()).not.toContain(token);
  });

  it('never writes a session export into the cache of a configured instance that happens to bear the console host’s name', async () => {
    const { ask } = await background();
    const host = new URL(core.url).host;
    await ask('instances:save', { instance: { name: host, vendor: 'metadefender-vault', url: vault.url, apiKey: VAULT_ADMIN_KEY } });
    const token = await login.core();
    await consoleCall(browserApis, ...calls.core(token));
    expect(await ask('export:session', { origin: core.url, keys: 'omit' })).toMatchObject({ ok: true });
    expect((await ask('state:get')).instances).toMatchObject([{ name: host, vendor: 'metadefender-vault', lastRefresh: null }]);
  });

  it('keeps a session to its own port: another service on the same host neither gets nor lends it', async () => {
    const { ask } = await background();
    const token = await login.core();
    await consoleCall(browserApis, ...calls.core(token));
    // vault listens on the same host (127.0.0.1) at another port.
    expect(new URL(vault.url).hostname).toBe(new URL(core.url).hostname);
    expect(await ask('export:session', { origin: vault.url, keys: 'masked' })).toMatchObject({ ok: false, error: expect.stringContaining('no live console session') });
    expect(vault.requests.some((r) => JSON.stringify(r.headers).includes(token))).toBe(false);
    expect(await ask('sessions:list')).toEqual([{ origin: core.url, vendor: 'metadefender-core' }]);
  });

  it('refuses export:session while the lock is closed, as the console button does (full keys included)', async () => {
    const { ask } = await background();
    await ask('instances:save', { instance: { name: 'vault', vendor: 'metadefender-vault', url: vault.url, apiKey: VAULT_ADMIN_KEY } });
    await ask('lock:set', { passphrase: 'correct horse battery' });
    const token = await login.core();
    await consoleCall(browserApis, ...calls.core(token));
    await ask('lock:lock');
    const before = core.requests.length;
    for (const keys of ['full', 'masked'] as const)
      expect(await ask('export:session', { origin: core.url, keys })).toMatchObject({ ok: false, error: expect.stringContaining('locked') });
    expect(core.requests.length).toBe(before);
    expect(browserApis.downloads).toEqual([]);
  });

  it('writes full keys of a session export only with the passphrase when one is set', async () => {
    const { ask } = await background();
    await ask('instances:save', { instance: { name: 'vault', vendor: 'metadefender-vault', url: vault.url, apiKey: VAULT_ADMIN_KEY } });
    await ask('lock:set', { passphrase: 'correct horse battery' });
    const token = await login.core();
    await consoleCall(browserApis, ...calls.core(token));
    const before = core.requests.length;
    for (const passphrase of [undefined, 'not the passphrase'])
      expect(await ask('export:session', { origin: core.url, keys: 'full', ...(passphrase ? { passphrase } : {}) })).toMatchObject({ ok: false });
    expect(core.requests.length).toBe(before);
    expect(browserApis.downloads).toEqual([]);
    expect(await ask('export:session', { origin: core.url, keys: 'masked' })).toMatchObject({ ok: true });
    expect(await ask('export:session', { origin: core.url, keys: 'full', passphrase: 'correct horse battery' })).toMatchObject({ ok: true });
    expect(browserApis.downloads).toHaveLength(2);
  });

  it('refuses export:session for a configured origin or one without a session', async () => {
    const { ask } = await background();
    expect(await ask('export:session', { origin: 'https://nowhere.example', keys: 'masked' })).toMatchObject({ ok: false, error: expect.stringContaining('no live console session') });
    const token = await login.core();
    await consoleCall(browserApis, ...calls.core(token));
    await ask('instances:save', { instance: { name: 'core-prod', vendor: 'metadefender-core', url: core.url, apiKey: CORE_ADMIN_KEY } });
    expect(await ask('export:session', { origin: core.url, keys: 'masked' })).toMatchObject({ ok: false, error: expect.stringContaining('configured as core-prod') });
    expect(browserApis.downloads).toEqual([]);
  });
});
