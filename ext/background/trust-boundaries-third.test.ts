import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { CLOUD_FREE_KEY, startCloudMock } from '../../test/mock-vendors/metadefender-cloud';
import { CORE_ADMIN_KEY, CORE_ADMIN_USER } from '../../test/mock-vendors/metadefender-core';
import { STORAGE_ADMIN_USER, startStorageMock } from '../../test/mock-vendors/metadefender-storage';
import { VAULT_ADMIN_KEY } from '../../test/mock-vendors/metadefender-vault';
import type { MockServer } from '../../test/mock-vendors/server';
import { downloadedText, loadApp, useMockConsoles } from '../../test/support/background';

/** docs/contract.md "Trust boundaries", third release: each test performs the attack against the real background. */
const fastHttp = { http: { maxTries: 1, timeoutMs: 5_000 } };
const mocks = useMockConsoles();
const PASSPHRASE = 'correct horse battery';

const vaultInstance = () => ({ name: 'vault', vendor: 'metadefender-vault', url: mocks.vault.url, apiKey: VAULT_ADMIN_KEY, username: 'alice' });
const carries = (server: MockServer, secret: string) => server.requests.some((r) => JSON.stringify(r.headers).includes(secret) || r.body.includes(secret));

describe('writing key values needs the passphrase', () => {
  it('a full-key export from the popup (all or one instance) is refused without the current passphrase; masked and omitted ones are not', async () => {
    const { ask } = await loadApp({ inventory: fastHttp });
    await ask('instances:save', { instance: vaultInstance() });
    await ask('lock:set', { passphrase: PASSPHRASE });
    for (const request of [{ keys: 'full' as const }, { instance: 'vault', keys: 'full' as const }, { keys: 'full' as const, passphrase: 'not the passphrase' }])
      expect(await ask('export', request)).toMatchObject({ ok: false });
    // Refused before anything was read or written.
    expect(mocks.vault.requests).toEqual([]);
    expect(mocks.browserApis.downloads).toEqual([]);
    expect(await ask('export', { keys: 'masked' })).toMatchObject({ ok: true });
    expect(await ask('export', { keys: 'omit' })).toMatchObject({ ok: true });
    expect(await ask('export', { keys: 'full', passphrase: PASSPHRASE })).toMatchObject({ ok: true });
    expect(await downloadedText(mocks.browserApis.downloads[2]!.url)).toContain('VAULT-TOKEN-0003-ci-pipeline-9d2f');
  });

  it('says why when the passphrase is missing', async () => {
    const { ask } = await loadApp({ inventory: fastHttp });
    await ask('instances:save', { instance: vaultInstance() });
    await ask('lock:set', { passphrase: PASSPHRASE });
    expect(await ask('export', { keys: 'full' })).toEqual({ ok: false, error: expect.stringContaining('needs your passphrase') });
  });
});

describe('instances:test runs under the refresh lock', () => {
  it('a Test clicked during a refresh waits for it: the instance is never called twice at once', async () => {
    const { ask } = await loadApp({ inventory: fastHttp });
    await ask('instances:save', { instance: vaultInstance() });
    expect(await ask('instances:test', { name: 'vault' })).toMatchObject({ ok: true });
    const alonePeak = mocks.vault.maxInFlight;
    mocks.vault.resetStats();
    mocks.vault.fault({ kind: 'delay', ms: 300 }, { times: 1 });
    const refresh = ask('refresh', {});
    await vi.waitFor(() => expect(mocks.vault.inFlight).toBeGreaterThan(0), { timeout: 5_000 });
    const tested = ask('instances:test', { name: 'vault' });
    expect(await refresh).toEqual({ ok: true });
    expect(await tested).toMatchObject({ ok: true });
    expect(mocks.vault.maxInFlight).toBe(alonePeak);
  });
});

describe('unsealed secrets are bound like sealed ones', () => {
  it('a policy instance of the same name does not inherit a secret saved for another URL, and never sends it there', async () => {
    const { ask } = await loadApp({ inventory: fastHttp });
    await ask('instances:save', { instance: { name: 'core-prod', vendor: 'metadefender-core', url: mocks.core.url, apiKey: CORE_ADMIN_KEY } });
    // The organisation's policy names "core-prod" too, at another host (here the Vault mock stands in for it).
    await fakeBrowser.storage.managed.set({ instances: [{ name: 'core-prod', vendor: 'metadefender-core', url: mocks.vault.url }] });

    const reloaded = await loadApp({ inventory: fastHttp });
    expect(await reloaded.ask('refresh', {})).toEqual({ ok: true });
    expect(await reloaded.ask('export', { keys: 'masked' })).toMatchObject({ ok: false });
    expect(carries(mocks.vault, CORE_ADMIN_KEY)).toBe(false);
    expect(mocks.vault.requests).toEqual([]);
    expect(await reloaded.ask('instances:list')).toMatchObject([{ name: 'core-prod', url: mocks.vault.url, managed: true, has: { apiKey: false } }]);
    // The admin's own credential for the policy's instance is taken and used.
    expect(await reloaded.ask('instances:save', { instance: { name: 'core-prod', vendor: 'metadefender-core', url: mocks.vault.url, apiKey: VAULT_ADMIN_KEY }, originalName: 'core-prod' })).toEqual({ ok: true });
    expect(await reloaded.ask('instances:list')).toMatchObject([{ name: 'core-prod', has: { apiKey: true } }]);
  });

  it('a list written before the binding keeps working: its secrets are bound to the instance stored beside them', async () => {
    await fakeBrowser.storage.local.set({
      instances: { instances: [{ name: 'vault', vendor: 'metadefender-vault', url: mocks.vault.url, username: 'alice' }], secrets: { kind: 'plain', byName: { vault: { apiKey: VAULT_ADMIN_KEY } } } },
      instances$: { v: 2 },
    });
    const { ask } = await loadApp({ inventory: fastHttp });
    expect(await ask('instances:test', { name: 'vault' })).toMatchObject({ ok: true });
  });
});

describe('requirePassphrase: credentials saved before the policy stay unused until sealed', () => {
  it('sends none of them while they are unsealed, says why, and uses them once a passphrase seals them', async () => {
    const { ask } = await loadApp({ inventory: fastHttp });
    await ask('instances:save', { instance: vaultInstance() });
    await fakeBrowser.storage.managed.set({ requirePassphrase: true });

    const reloaded = await loadApp({ inventory: fastHttp });
    expect(await reloaded.ask('instances:test', { name: 'vault' })).toMatchObject({ ok: false, error: expect.stringContaining('requires a passphrase') });
    expect(await reloaded.ask('refresh', {})).toEqual({ ok: true });
    expect((await reloaded.ask('state:get')).instances[0]).toMatchObject({ ok: false, error: expect.stringContaining('set a passphrase') });
    expect(mocks.vault.requests).toEqual([]);

    expect(await reloaded.ask('lock:set', { passphrase: PASSPHRASE })).toEqual({ ok: true });
    expect(await reloaded.ask('instances:test', { name: 'vault' })).toMatchObject({ ok: true });
    expect(carries(mocks.vault, VAULT_ADMIN_KEY)).toBe(true);
  });
});

describe('a stored secret is reused only for the same vendor, URL, username and key id', () => {
  it.each([
    ['another path behind the same reverse proxy', (url: string) => ({ url: `${url}/other-app` })],
    ['another username', () => ({ username: 'mallory' })],
  ])('an import naming the instance with %s does not take the stored key along', async (_, change) => {
    const { ask } = await loadApp({ inventory: fastHttp });
    await ask('instances:save', { instance: vaultInstance() });
    const { apiKey: _key, ...withoutKey } = { ...vaultInstance(), ...change(mocks.vault.url) };
    const reply = await ask('config:import', { json: JSON.stringify({ instances: [withoutKey] }) });
    expect(reply).toMatchObject({ ok: false, problems: [{ path: 'instances[0].apiKey', message: expect.stringContaining('is required') }] });
    expect(await ask('instances:list')).toMatchObject([{ name: 'vault', url: mocks.vault.url, username: 'alice', has: { apiKey: true } }]);
    // An edit in the options page is held to the same rule.
    const saved = await ask('instances:save', { instance: withoutKey, originalName: 'vault' });
    expect(saved).toMatchObject({ ok: false, problems: [{ path: 'apiKey', message: expect.stringContaining('is not reused') }] });
  });
});

describe('parking after an authentication failure, every vendor', () => {
  let cloud: MockServer;
  let cloudBlocked: MockServer;
  let mdss: MockServer;
  beforeAll(async () => {
    [cloud, cloudBlocked, mdss] = await Promise.all([startCloudMock(), startCloudMock({ variant: 'ip-blocked' }), startStorageMock()]);
  });
  afterAll(async () => {
    await Promise.all([cloud.close(), cloudBlocked.close(), mdss.close()]);
  });

  it.each([
    ['MetaDefender Cloud, unknown key (404 code 404008)', () => cloud, () => ({ name: 'cloud', vendor: 'metadefender-cloud', url: cloud.url, apiKey: 'CLOUD-WRONG-APIKEY-000000000000' })],
    ['MetaDefender Cloud, IP blocked (403 code 403002)', () => cloudBlocked, () => ({ name: 'cloud', vendor: 'metadefender-cloud', url: cloudBlocked.url, apiKey: CLOUD_FREE_KEY })],
    ['MDSS login refused', () => mdss, () => ({ name: 'mdss', vendor: 'metadefender-storage', url: mdss.url, username: STORAGE_ADMIN_USER, password: 'WRONG-PASSWORD-000' })],
    ['Core login refused', () => mocks.core, () => ({ name: 'core', vendor: 'metadefender-core', url: mocks.core.url, username: CORE_ADMIN_USER, password: 'WRONG-PASSWORD-000' })],
  ] as const)('%s: sent once, then not again by a refresh, the alarm or an export until the user re-tests it', async (_, server, instance) => {
    server().resetStats();
    const { ask } = await loadApp({ inventory: fastHttp });
    await ask('instances:save', { instance: instance() });
    await ask('refresh', {});
    const afterFirst = server().requests.length;
    expect(afterFirst).toBeGreaterThan(0);
    expect((await ask('state:get')).instances[0]).toMatchObject({ ok: false, parked: true });

    const later = await loadApp({ inventory: fastHttp });
    await later.app.refresher.refresh();
    await later.ask('refresh', {});
    expect(await later.ask('export', { keys: 'masked' })).toMatchObject({ ok: false });
    expect(server().requests.length).toBe(afterFirst);

    expect(await later.ask('instances:test', { name: instance().name })).toMatchObject({ ok: false });
    expect(server().requests.length).toBeGreaterThan(afterFirst);
  });
});
