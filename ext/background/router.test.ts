import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { startVaultMock, VAULT_ADMIN_KEY, vaultDemoTokens } from '../../test/mock-vendors/metadefender-vault';
import type { MockServer } from '../../test/mock-vendors/server';
import { loadApp, senders, stubBrowserApis } from '../../test/support/background';

let vault: MockServer;
let browserApis: ReturnType<typeof stubBrowserApis>;

beforeAll(async () => {
  vault = await startVaultMock();
});
afterAll(async () => {
  await vault.close();
});
beforeEach(() => {
  fakeBrowser.reset();
  browserApis = stubBrowserApis();
  vault.resetStats();
});
afterEach(() => {
  vi.restoreAllMocks();
});

const vaultInstance = () => ({ name: 'vault', vendor: 'metadefender-vault', url: vault.url, apiKey: VAULT_ADMIN_KEY, username: 'alice' });

/** Loads a background, registers its listeners through @webext-core/messaging, and sends raw messages as the browser delivers them. */
async function listening() {
  const loaded = await loadApp({ inventory: { http: { maxTries: 1 } }, blobUrls: false });
  const { listen } = await import('./router');
  listen(loaded.app.route);
  let id = 0;
  // As Chrome and Firefox deliver to @webext-core/messaging 4: the answer comes through sendResponse
  // after the listener returned true; a listener that returns false leaves the message unanswered.
  const deliver = (type: string, data: unknown, sender: object) =>
    new Promise<{ res?: unknown; err?: { message: string } }>((resolve) => {
      const message = { id: ++id, type, data, timestamp: Date.now() };
      void (fakeBrowser.runtime.onMessage.trigger as (...args: unknown[]) => Promise<unknown[]>)(message, sender, resolve).then((kept) => {
        if (!kept.includes(true)) resolve(undefined as never);
      });
    });
  return { ...loaded, deliver };
}

describe('message routing', () => {
  it('answers this extension’s pages through the registered listeners', async () => {
    const { deliver } = await listening();
    expect(await deliver('instances:save', { instance: vaultInstance() }, senders.options())).toEqual({ res: { ok: true } });
    expect((await deliver('state:get', undefined, senders.popup())).res).toMatchObject({ locked: false, instances: [{ name: 'vault' }] });
  });

  it.each([
    ['export', { keys: 'everything' }],
    ['export', { keys: 'masked', extra: 1 }],
    ['refresh', { instance: 5 }],
    ['refresh', undefined],
    ['instances:remove', {}],
    ['instances:save', { instance: 'not an object' }],
    ['state:get', { sneaky: true }],
    ['lock:set', { passphrase: 'short' }],
  ])('refuses a bad %s payload before anything runs', async (type, data) => {
    const { deliver } = await listening();
    const reply = await deliver(type, data, senders.popup());
    expect(reply.err?.message).toMatch(new RegExp(`^KeyAtlas refused "${type}": invalid request`));
    expect(browserApis.downloads).toHaveLength(0);
    expect(vault.requests).toHaveLength(0);
  });

  it('never echoes payload values in a refusal', async () => {
    const { deliver } = await listening();
    const reply = await deliver('lock:set', { passphrase: 'SECRET1-ele' }, senders.popup());
    expect(reply.err?.message).toContain('at least 12 characters');
    expect(reply.err?.message).not.toContain('SECRET1-ele');
  });

  it('refuses other extensions, web pages and unknown message types; nothing runs', async () => {
    const { deliver, ask } = await listening();
    await ask('instances:save', { instance: vaultInstance() });
    const spoofed = { ...senders.popup(), id: 'some-other-extension' };
    const webPage = { url: 'https://evil.example/', origin: 'https://evil.example', tab: { id: 3, url: 'https://evil.example/' }, frameId: 0 };
    for (const [type, data, sender] of [
      ['export', { keys: 'full' }, spoofed],
      ['config:export', { includeSecrets: true }, webPage],
      ['export', { keys: 'full' }, { ...webPage, id: 'some-other-extension' }],
      ['console:export', undefined, webPage],
    ] as const) {
      const reply = await deliver(type, data, sender);
      expect(reply.err?.message).toMatch(/^KeyAtlas refused/);
      expect(JSON.stringify(reply)).not.toContain(VAULT_ADMIN_KEY);
    }
    // console:progress flows background → tab only: the background has no listener, so no answer.
    expect(await deliver('console:progress', { read: 1 }, senders.popup())).toBeUndefined();
    expect(browserApis.downloads).toHaveLength(0);
    expect(vault.requests).toHaveLength(0);
  });

  it('lets a console content script ask only console:info, console:export and console:options', async () => {
    const { deliver, ask } = await listening();
    await ask('instances:save', { instance: vaultInstance() });
    const tab = senders.content(`${vault.url}/#/tokens`);
    const payloads: Record<string, unknown> = { export: { keys: 'full' }, refresh: {}, 'config:export': { includeSecrets: true }, 'export:session': { origin: vault.url, keys: 'full' } };
    for (const type of ['export', 'refresh', 'config:export', 'state:get', 'instances:list', 'sessions:list', 'export:session']) {
      const reply = await deliver(type, payloads[type], tab);
      expect(reply.err?.message).toMatch(/a console page may only ask for console:info, console:export, console:options/);
    }
    expect(browserApis.downloads).toHaveLength(0);
    expect(vault.requests).toHaveLength(0);
    // A sub-frame of the console is no better than a web page.
    expect((await deliver('console:info', undefined, senders.content(`${vault.url}/#/tokens`, 4))).err?.message).toMatch(/^KeyAtlas refused/);
  });

  it('routes console requests to the bridge: the tab origin picks the instance, replies carry no secrets', async () => {
    const { deliver, ask } = await listening();
    await ask('instances:save', { instance: vaultInstance() });
    const progress: unknown[] = [];
    vi.spyOn(fakeBrowser.tabs, 'sendMessage').mockImplementation(((tabId: number, message: { type: string; data: unknown }, _options: unknown, reply: () => void) => {
      progress.push([tabId, message.type, message.data]);
      reply();
    }) as never);
    const tab = senders.content(`${vault.url}/#/tokens`);

    expect((await deliver('console:info', undefined, tab)).res).toEqual({ instance: 'vault', vendor: 'metadefender-vault', credential: 'apiKey' });
    const exported = await deliver('console:export', undefined, tab);
    const date = new Date().toISOString().slice(0, 10);
    expect(exported.res).toEqual({ ok: true, rows: vaultDemoTokens(new Date()).length, fileName: `keyatlas-vault-${date}.csv`, credential: 'apiKey', coverage: 'own + system-level tokens' });
    expect(browserApis.downloads).toHaveLength(1);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((p) => (p as unknown[])[0] === 7 && (p as unknown[])[1] === 'console:progress')).toBe(true);
    expect(JSON.stringify([exported, progress])).not.toContain(VAULT_ADMIN_KEY);
    // A payload on a console message is refused like any other bad payload.
    expect((await deliver('console:export', { instance: 'vault' }, tab)).err?.message).toMatch(/invalid request/);
    // An origin that is no configured instance gets no export.
    expect((await deliver('console:export', undefined, senders.content('https://elsewhere.example/#/tokens'))).err?.message).toMatch(/not a configured KeyAtlas instance/);
    expect(browserApis.downloads).toHaveLength(1);
  });

  it('opens the options page for a console, built from the tab origin', async () => {
    const { deliver } = await listening();
    const reply = await deliver('console:options', undefined, senders.content('https://vault2.example:8010/#/settings/security/api-keys'));
    expect(reply.err).toBeUndefined();
    const tabs = await fakeBrowser.tabs.query({});
    expect(tabs.map((t) => t.url)).toContain(`chrome-extension://test-extension-id/options.html#add?url=${encodeURIComponent('https://vault2.example:8010')}&vendor=metadefender-vault`);
    expect((await deliver('console:options', { url: 'https://evil.example' }, senders.content('https://vault2.example:8010/'))).err?.message).toMatch(/invalid request/);
  });
});
