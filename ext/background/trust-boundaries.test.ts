import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { CORE_ADMIN_KEY } from '../../test/mock-vendors/metadefender-core';
import { startVaultMock, VAULT_ADMIN_KEY } from '../../test/mock-vendors/metadefender-vault';
import { loadApp, senders, stubBrowserApis, useMockConsoles } from '../../test/support/background';

/** docs/contract.md#trust-boundaries ()": each test performs the attack against the real background. */
const fastHttp = { http: { maxTries: 1, timeoutMs: 5_000 } };
const mocks = useMockConsoles();

const vaultInstance = () => ({ name: 'vault', vendor: 'metadefender-vault', url: mocks.vault.url, apiKey: VAULT_ADMIN_KEY, username: 'alice' });
const PASSPHRASE = 'correct horse battery';
const carriesVaultKey = (requests: { headers: Record<string, unknown> }[]) => requests.some((r) => JSON.stringify(r.headers).includes(VAULT_ADMIN_KEY));

/** What someone who can write storage.local (a Firefox content process, local malware) does. */
async function rewriteStored(change: (inst: Record<string, unknown>) => void): Promise<void> {
  const { instances } = (await fakeBrowser.storage.local.get('instances')) as { instances: { instances: Record<string, unknown>[] } };
  change(instances.instances[0]!);
  await fakeBrowser.storage.local.set({ instances });
}

describe('sealed secrets are bound to their instance', () => {
  it('never sends a sealed key to a URL rewritten in storage, and asks for it again', async () => {
    const { ask } = await loadApp({ inventory: fastHttp });
    await ask('instances:save', { instance: vaultInstance() });
    await ask('lock:set', { passphrase: PASSPHRASE });
    await rewriteStored((inst) => void (inst.url = mocks.core.url));

    const reloaded = await loadApp({ inventory: fastHttp });
    expect(await reloaded.ask('refresh', {})).toEqual({ ok: true });
    expect(await reloaded.ask('instances:test', { name: 'vault' })).toMatchObject({ ok: false, error: expect.stringContaining('re-enter it') });
    expect(carriesVaultKey(mocks.core.requests)).toBe(false);
    expect(mocks.core.requests).toEqual([]);
    const state = await reloaded.ask('state:get');
    expect(state.instances[0]).toMatchObject({ name: 'vault', ok: false, error: expect.stringContaining('re-enter it') });
    expect(await reloaded.ask('instances:list')).toMatchObject([{ name: 'vault', has: { apiKey: false } }]);
  });

  it('refuses a key whose username or key id was changed in storage, and takes a re-entered one', async () => {
    const { ask } = await loadApp({ inventory: fastHttp });
    await ask('instances:save', { instance: vaultInstance() });
    await ask('lock:set', { passphrase: PASSPHRASE });
    await rewriteStored((inst) => void (inst.username = 'mallory'));
    const reloaded = await loadApp({ inventory: fastHttp });
    expect(await reloaded.ask('instances:test', { name: 'vault' })).toMatchObject({ ok: false, error: expect.stringContaining('re-enter it') });
    expect(mocks.vault.requests).toEqual([]);
    expect(await reloaded.ask('instances:save', { instance: { ...vaultInstance(), username: 'mallory' }, originalName: 'vault' })).toEqual({ ok: true });
    expect(await reloaded.ask('instances:test', { name: 'vault' })).toMatchObject({ ok: true });
  });

  it('keeps the other instances usable and saveable beside a refused one', async () => {
    const { ask } = await loadApp({ inventory: fastHttp });
    await ask('instances:save', { instance: vaultInstance() });
    await ask('instances:save', { instance: { ...vaultInstance(), name: 'vault-2' } });
    await ask('lock:set', { passphrase: PASSPHRASE });
    await rewriteStored((inst) => void (inst.url = mocks.core.url));
    const reloaded = await loadApp({ inventory: fastHttp });
    expect(await reloaded.ask('instances:save', { instance: { ...vaultInstance(), name: 'vault-3' } })).toEqual({ ok: true });
    expect(await reloaded.ask('instances:test', { name: 'vault-2' })).toMatchObject({ ok: true });
    expect((await reloaded.ask('instances:list')).map((i) => [i.name, i.has.apiKey])).toEqual([
      ['vault', false],
      ['vault-2', true],
      ['vault-3', true],
    ]);
  });
});

describe('no credential to an origin the browser has not granted', () => {
  it('checks permissions.contains right before the call', async () => {
    const { ask } = await loadApp({ inventory: fastHttp });
    await ask('instances:save', { instance: vaultInstance() });
    stubBrowserApis({ granted: () => false });
    expect(await ask('instances:test', { name: 'vault' })).toMatchObject({ ok: false, error: expect.stringContaining('no permission') });
    expect(await ask('refresh', {})).toEqual({ ok: true });
    expect(mocks.vault.requests).toEqual([]);
  });

  it('a grant revoked between two pages of one read stops the next page, not only the next read', async () => {
    const vault = await startVaultMock({ generate: 250 });
    try {
      const { ask } = await loadApp({ inventory: fastHttp });
      await ask('instances:save', { instance: { ...vaultInstance(), url: vault.url } });
      // The user revokes the grant while the first page is on its way (it is held long enough).
      vault.latencyMs = 200;
      const reply = ask('instances:test', { name: 'vault' });
      await vi.waitFor(() => expect(vault.requests).toHaveLength(1), { timeout: 5_000 });
      mocks.browserApis.revokeHostGrants([`${vault.url}/*`]);
      expect(await reply).toMatchObject({ ok: false, error: expect.stringContaining('no permission') });
      expect(vault.requests.map((r) => r.path)).toHaveLength(1);
    } finally {
      await vault.close();
    }
  });
});

describe('parking after an authentication failure', () => {
  it('sends a refused key once, not on every refresh, until the user re-tests or edits it', async () => {
    const { ask } = await loadApp({ inventory: fastHttp });
    await ask('instances:save', { instance: { ...vaultInstance(), apiKey: 'WRONG-VAULT-KEY-123456' } });
    await ask('refresh', {});
    const afterFirst = mocks.vault.requests.length;
    expect(afterFirst).toBeGreaterThan(0);
    expect((await ask('state:get')).instances[0]).toMatchObject({ parked: true });
    // A new worker (the 6-hourly alarm, the next browser session) and more clicks: nothing is sent.
    const later = await loadApp({ inventory: fastHttp });
    await later.ask('refresh', {});
    await later.ask('refresh', { instance: 'vault' });
    expect(await later.ask('export', { keys: 'masked' })).toMatchObject({ ok: false });
    expect(mocks.vault.requests.length).toBe(afterFirst);

    expect(await later.ask('instances:test', { name: 'vault' })).toMatchObject({ ok: false });
    expect(mocks.vault.requests.length).toBeGreaterThan(afterFirst);
    expect(await later.ask('instances:save', { instance: vaultInstance(), originalName: 'vault' })).toEqual({ ok: true });
    expect((await later.ask('state:get')).instances[0]?.parked).toBeUndefined();
    expect(await later.ask('instances:test', { name: 'vault' })).toMatchObject({ ok: true });
  });

  describe('refreshes never overlap (request counts per mock server)', () => {
    const config = () => JSON.stringify({ instances: [vaultInstance(), { name: 'core-prod', vendor: 'metadefender-core', url: mocks.core.url, apiKey: CORE_ADMIN_KEY }] });
    const servers = () => [mocks.vault, mocks.core];
    const counts = () => servers().map((s) => s.requests.length);
    const peaks = () => servers().map((s) => s.maxInFlight);

    /** Imports both instances and measures one refresh on its own: the calls a single run makes. */
    async function measuredApp() {
      const loaded = await loadApp({ inventory: fastHttp });
      expect(await loaded.ask('config:import', { json: config() })).toMatchObject({ ok: true, imported: 2 });
      await loaded.app.refresher.refresh();
      for (const server of servers()) server.resetStats();
      expect(await loaded.ask('refresh', {})).toEqual({ ok: true });
      const alone = { counts: counts(), peaks: peaks() };
      expect(alone.counts.every((n) => n > 0)).toBe(true);
      for (const server of servers()) {
        server.resetStats();
        // Slow replies: anything started twice would be in flight at once.
        server.latencyMs = 40;
      }
      return { ...loaded, alone };
    }

    afterEach(() => {
      for (const server of servers()) server.latencyMs = 0;
    });

    it("an import's refresh, a popup refresh and the alarm at the same moment call each instance once", async () => {
      const { app, ask, alone } = await measuredApp();
      const [imported, clicked, alarm] = await Promise.all([
        ask('config:import', { json: config() }),
        ask('refresh', {}),
        // What the refresh alarm's listener runs (entrypoints/background.ts).
        app.refresher.refresh(),
      ]);
      expect([imported.ok, clicked, alarm]).toEqual([true, { ok: true }, { ok: true }]);
      // The import's refresh joined the running one: nothing is left running, nothing ran twice.
      expect((await ask('state:get')).refreshing).toBeNull();
      expect(counts()).toEqual(alone.counts);
      expect(peaks()).toEqual(alone.peaks);
    });

    it('an export asked for during a refresh waits for it: no instance is called twice at once', async () => {
      const { ask, alone } = await measuredApp();
      // The refresh holds its first Vault reply long enough for the export to be asked meanwhile.
      mocks.vault.fault({ kind: 'delay', ms: 300 }, { times: 1 });
      const refresh = ask('refresh', {});
      await vi.waitFor(() => expect(mocks.vault.inFlight).toBeGreaterThan(0), { timeout: 5_000 });
      const exported = ask('export', { keys: 'masked' });
      expect(await refresh).toEqual({ ok: true });
      expect(await exported).toMatchObject({ ok: true });
      // Both ran in full, one after the other: twice the calls, never more at once than one run makes.
      expect(counts()).toEqual(alone.counts.map((n) => 2 * n));
      expect(peaks()).toEqual(alone.peaks);
    });
  });
});

describe('the current passphrase guards secrets and the lock', () => {
  it('exports secrets in a config only with the current passphrase, and refuses short passphrases', async () => {
    const { ask } = await loadApp({ inventory: fastHttp });
    await ask('instances:save', { instance: vaultInstance() });
    expect(await ask('config:export', { includeSecrets: true })).toMatchObject({ ok: true });
    await ask('lock:set', { passphrase: PASSPHRASE });
    for (const passphrase of [undefined, 'not the passphrase'])
      expect(await ask('config:export', { includeSecrets: true, ...(passphrase ? { passphrase } : {}) })).toEqual({ ok: false, error: 'Wrong passphrase' });
    const reply = await ask('config:export', { includeSecrets: true, passphrase: PASSPHRASE });
    expect(reply.ok && reply.json).toContain(VAULT_ADMIN_KEY);
    expect(await ask('config:export', { includeSecrets: false })).toMatchObject({ ok: true });
    await expect(ask('lock:set', { passphrase: 'eleven char', current: PASSPHRASE })).rejects.toThrow('at least 12 characters');
    expect(await ask('lock:remove', { passphrase: 'not the passphrase' })).toEqual({ ok: false, error: 'Wrong passphrase' });
  });
});

describe('console:options', () => {
  it('opens at most one options tab, however often a console asks', async () => {
    const { app, ask } = await loadApp({ inventory: fastHttp });
    await ask('instances:save', { instance: vaultInstance() });
    const page = `${mocks.vault.url}/#/settings/security/api-keys`;
    await Promise.all(Array.from({ length: 20 }, () => app.route('console:options', undefined, senders.content(page))));
    await app.route('console:options', undefined, senders.content(page));
    expect((await fakeBrowser.tabs.query({})).filter((tab) => tab.url?.includes('options.html'))).toHaveLength(1);
  });
});
