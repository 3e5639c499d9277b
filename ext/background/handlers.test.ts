import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { parseConfigText } from '../../lib/config';
import { CORE_ADMIN_KEY, CORE_ADMIN_PASSWORD, CORE_ADMIN_USER, startCoreMock } from '../../test/mock-vendors/metadefender-core';
import { VAULT_ADMIN_KEY, vaultDemoTokens } from '../../test/mock-vendors/metadefender-vault';
import { header } from '../../test/mock-vendors/server';
import { lockedText } from './instance-store';
import { loadApp, senders, useMockConsoles } from '../../test/support/background';

const fastHttp = { http: { maxTries: 1, timeoutMs: 5_000 } };
const mocks = useMockConsoles();

const vaultInstance = () => ({ name: 'vault', vendor: 'metadefender-vault', url: mocks.vault.url, apiKey: VAULT_ADMIN_KEY, username: 'alice' });
const coreInstance = () => ({ name: 'core-prod', vendor: 'metadefender-core', url: mocks.core.url, apiKey: CORE_ADMIN_KEY });

/** All stored data but the idle auto-lock's activity time, which every message moves on. */
async function storedText(): Promise<string> {
  const { lastActivity: _moves, ...session } = await fakeBrowser.storage.session.get(null);
  return JSON.stringify([await fakeBrowser.storage.local.get(null), session]);
}

describe('instances', () => {
  it('saves, lists without secrets, tests with one real call, and removes', async () => {
    const { ask } = await loadApp({ inventory: fastHttp });
    expect(await ask('instances:save', { instance: vaultInstance() })).toEqual({ ok: true });
    const list = await ask('instances:list');
    expect(list).toEqual([{ name: 'vault', vendor: 'metadefender-vault', url: mocks.vault.url, username: 'alice', has: { apiKey: true, password: false } }]);
    expect(JSON.stringify(list)).not.toContain(VAULT_ADMIN_KEY);
    expect(await ask('instances:test', { name: 'vault' })).toEqual({ ok: true, count: vaultDemoTokens(new Date()).length });
    expect(mocks.vault.requests.length).toBeGreaterThan(0);
    expect(await ask('instances:remove', { name: 'vault' })).toEqual({ ok: true });
    expect(await ask('instances:list')).toEqual([]);
    expect(await ask('instances:remove', { name: 'vault' })).toEqual({ ok: false, error: 'There is no instance named "vault".' });
  });

  it('answers a failed test with the vendor error text and no secret', async () => {
    const { ask } = await loadApp({ inventory: fastHttp });
    await ask('instances:save', { instance: { ...vaultInstance(), apiKey: 'WRONG-VAULT-KEY-123456' } });
    const reply = await ask('instances:test', { name: 'vault' });
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error).toContain('vault');
    expect(reply.error).toContain('API key is incorrect');
    expect(reply.error).not.toContain('WRONG-VAULT-KEY-123456');
  });

  it('keeps stored secrets when an edit omits them, and renames through originalName', async () => {
    const { ask } = await loadApp({ inventory: fastHttp });
    await ask('instances:save', { instance: vaultInstance() });
    const { apiKey: _omitted, ...withoutKey } = vaultInstance();
    expect(await ask('instances:save', { instance: { ...withoutKey, name: 'vault-eu', apiKey: '' }, originalName: 'vault' })).toEqual({ ok: true });
    expect((await ask('instances:list')).map((i) => [i.name, i.has.apiKey])).toEqual([['vault-eu', true]]);
    expect(await ask('instances:test', { name: 'vault-eu' })).toMatchObject({ ok: true });
  });

  it('does not carry a stored key over to another vendor or host', async () => {
    const { ask } = await loadApp();
    await ask('instances:save', { instance: vaultInstance() });
    const before = await storedText();
    const notReused = { path: 'apiKey', message: 'is required: the URL, vendor, username or key id changed, so the stored key is not reused' };
    const asXsoar = { name: 'vault', vendor: 'cortex-xsoar', url: mocks.vault.url, apiKeyId: '7' };
    expect(await ask('instances:save', { instance: asXsoar, originalName: 'vault' })).toMatchObject({ ok: false, problems: [notReused] });
    const elsewhere = { name: 'vault', vendor: 'metadefender-vault', url: mocks.core.url, username: 'alice' };
    expect(await ask('instances:save', { instance: elsewhere, originalName: 'vault' })).toMatchObject({ ok: false, problems: [notReused] });
    expect(await storedText()).toBe(before);
    // The same origin written another way is the same host: the key stays.
    expect(await ask('instances:save', { instance: { ...elsewhere, url: `${mocks.vault.url}/` }, originalName: 'vault' })).toEqual({ ok: true });
    expect((await ask('instances:list')).map((i) => i.has.apiKey)).toEqual([true]);
  });

  it('lists every problem of a bad instance and saves nothing', async () => {
    const { ask } = await loadApp();
    await ask('instances:save', { instance: coreInstance() });
    const before = await storedText();
    const reply = await ask('instances:save', { instance: { name: 'v', vendor: 'metadefender-vault', url: 'ftp://x.example', apiKey: { env: 'VAULT_KEY' } } });
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.problems?.map((p) => p.path).sort()).toEqual(['apiKey', 'url']);
    expect(await storedText()).toBe(before);
  });

  it('replaces a same-named instance, but never renames onto another one', async () => {
    const { ask } = await loadApp();
    await ask('instances:save', { instance: coreInstance() });
    await ask('instances:save', { instance: vaultInstance() });
    expect(await ask('instances:save', { instance: { ...vaultInstance(), username: 'bob' } })).toEqual({ ok: true });
    expect((await ask('instances:list')).map((i) => [i.name, i.username ?? null])).toEqual([
      ['core-prod', null],
      ['vault', 'bob'],
    ]);
    expect(await ask('instances:save', { instance: vaultInstance(), originalName: 'core-prod' })).toMatchObject({
      ok: false,
      problems: [{ path: 'name', message: '"vault" is already used by another instance' }],
    });
    expect(await ask('instances:save', { instance: vaultInstance(), originalName: 'gone' })).toMatchObject({ ok: false, problems: [{ path: 'originalName' }] });
  });
});

describe('config import and export', () => {
  it('imports by name, ignores {env} secrets with a warning, and starts a refresh', async () => {
    const { app, ask } = await loadApp({ inventory: fastHttp });
    await ask('instances:save', { instance: vaultInstance() });
    const json = JSON.stringify({
      instances: [
        // A CLI-style secret reference: ignored, so the stored key is kept.
        { name: 'vault', vendor: 'metadefender-vault', url: mocks.vault.url, username: 'alice', apiKey: { env: 'VAULT_KEY' } },
        coreInstance(),
        { name: 'cloud', vendor: 'metadefender-cloud', apiKey: { env: 'CLOUD_KEY' } },
      ],
    });
    const reply = await ask('config:import', { json });
    expect(reply).toMatchObject({ ok: true, imported: 2 });
    if (!reply.ok) return;
    // The vault keeps its stored key; the cloud instance has none to keep, so it is not imported.
    expect(reply.warnings?.map((w) => w.path)).toEqual(['instances[0].apiKey', 'instances[2].apiKey', 'instances[2].apiKey']);
    expect(reply.warnings?.[0]?.message).toContain('VAULT_KEY');
    expect(reply.warnings?.[2]?.message).toContain('instance not imported');
    expect((await ask('instances:list')).map((i) => [i.name, i.username ?? null, i.has.apiKey])).toEqual([
      ['vault', 'alice', true],
      ['core-prod', null, true],
    ]);
    // The refresh the import started: joining it waits for it to end.
    await app.refresher.refresh();
    const state = await ask('state:get');
    expect(state.instances.map((i) => [i.name, i.ok])).toEqual([
      ['vault', true],
      ['core-prod', true],
    ]);
    expect(mocks.core.requests.length).toBeGreaterThan(0);
  });

  it('never sends a stored key to the host or vendor a shared file points the name at', async () => {
    const other = await startCoreMock();
    try {
      const { app, ask } = await loadApp({ inventory: fastHttp });
      await ask('instances:save', { instance: coreInstance() });
      await ask('instances:save', { instance: vaultInstance() });
      const notReused = 'is required: the URL, vendor, username or key id changed, so the stored key is not reused (instance not imported)';
      // `{env}` keys are dropped in the browser, so these name no key the extension can use.
      const withoutKeys = JSON.stringify({
        instances: [
          { name: 'core-prod', vendor: 'metadefender-core', url: other.url, apiKey: { env: 'CORE_KEY' } },
          { name: 'vault', vendor: 'cortex-xsoar', url: mocks.vault.url, apiKey: { env: 'XSOAR_KEY' }, apiKeyId: '7' },
        ],
      });
      const reply = await ask('config:import', { json: withoutKeys });
      expect(reply).toMatchObject({ ok: true, imported: 0 });
      if (!reply.ok) return;
      expect(reply.warnings?.filter((w) => !w.message.includes('environment variable'))).toEqual([
        { path: 'instances[0].apiKey', message: notReused },
        { path: 'instances[1].apiKey', message: notReused },
      ]);
      await app.refresher.refresh();
      expect(other.requests).toHaveLength(0);
      expect((await ask('instances:list')).map((i) => [i.name, i.vendor, i.url])).toEqual([
        ['core-prod', 'metadefender-core', mocks.core.url],
        ['vault', 'metadefender-vault', mocks.vault.url],
      ]);

      // With a login of its own the instance moves, and the other host sees that login, never the old key.
      const withLogin = JSON.stringify({
        instances: [{ name: 'core-prod', vendor: 'metadefender-core', url: other.url, username: CORE_ADMIN_USER, password: CORE_ADMIN_PASSWORD }],
      });
      expect(await ask('config:import', { json: withLogin })).toEqual({ ok: true, imported: 1 });
      await app.refresher.refresh();
      expect(other.requests.length).toBeGreaterThan(0);
      expect(other.requests.filter((r) => header(r, 'apikey') === CORE_ADMIN_KEY)).toEqual([]);
      expect((await ask('instances:list')).find((i) => i.name === 'core-prod')?.has).toEqual({ apiKey: false, password: true });
    } finally {
      await other.close();
    }
  });

  it('rejects a malformed file without quoting it', async () => {
    const { ask } = await loadApp();
    const reply = await ask('config:import', { json: '{"instances": [{"name": "x", "apiKey": SECRET-IN-A-BROKEN-FILE}]}' });
    expect(reply.ok).toBe(false);
    expect(JSON.stringify(reply)).not.toContain('SECRET-IN');
    expect(JSON.stringify(reply)).toContain('is not valid JSON');
  });

  it('refuses a file over 1 MB before parsing it', async () => {
    const { app } = await loadApp();
    await expect(app.route('config:import', { json: ' '.repeat(1_000_001) }, senders.popup())).rejects.toThrow(/larger than 1 MB/);
  });

  it('exports configuration JSON (docs/contract.md#configuration), with secrets only when asked', async () => {
    const { ask } = await loadApp();
    await ask('instances:save', { instance: vaultInstance() });
    await ask('instances:save', { instance: coreInstance() });
    const plain = await ask('config:export', { includeSecrets: false });
    const full = await ask('config:export', { includeSecrets: true });
    if (!plain.ok || !full.ok) throw new Error('export failed');
    expect(plain.json).not.toContain(VAULT_ADMIN_KEY);
    expect(JSON.parse(plain.json)).toEqual({ instances: [{ name: 'vault', vendor: 'metadefender-vault', url: mocks.vault.url, username: 'alice' }, { name: 'core-prod', vendor: 'metadefender-core', url: mocks.core.url }] });
    expect(parseConfigText(full.json).instances).toEqual([vaultInstance(), coreInstance()]);
  });
});

describe('the rotation policy in a config file', () => {
  it('is taken on import as the local setting, and written back on export', async () => {
    const { ask } = await loadApp();
    const reply = await ask('config:import', { json: JSON.stringify({ maxKeyAgeDays: 180, instances: [coreInstance()] }) });
    expect(reply).toEqual({ ok: true, imported: 1 });
    expect((await ask('settings:get')).settings.maxKeyAgeDays).toBe(180);
    const exported = await ask('config:export', { includeSecrets: false });
    if (!exported.ok) throw new Error('export failed');
    expect(JSON.parse(exported.json).maxKeyAgeDays).toBe(180);
    // No policy: none written.
    expect(await ask('settings:set', { maxKeyAgeDays: 0 })).toEqual({ ok: true });
    const plain = await ask('config:export', { includeSecrets: false });
    expect(plain.ok && JSON.parse(plain.json)).not.toHaveProperty('maxKeyAgeDays');
  });

  it('is refused with a warning when the organisation’s policy sets it', async () => {
    await fakeBrowser.storage.managed.set({ maxKeyAgeDays: 90 });
    const { ask } = await loadApp();
    const reply = await ask('config:import', { json: JSON.stringify({ maxKeyAgeDays: 400, instances: [coreInstance()] }) });
    expect(reply).toMatchObject({ ok: true, imported: 1, warnings: [{ path: 'maxKeyAgeDays', message: expect.stringContaining('policy') }] });
    expect((await ask('settings:get')).settings.maxKeyAgeDays).toBe(90);
  });
});

describe('passphrase lock', () => {
  it('seals the secrets, locks, refuses wrong passphrases without touching data, and unlocks', async () => {
    const { app, ask } = await loadApp({ inventory: fastHttp });
    await ask('instances:save', { instance: vaultInstance() });
    expect(await ask('lock:set', { passphrase: 'correct horse battery' })).toEqual({ ok: true });
    expect(JSON.stringify(await fakeBrowser.storage.local.get(null))).not.toContain(VAULT_ADMIN_KEY);
    expect(await ask('state:get')).toMatchObject({ locked: false, hasPassphrase: true });
    expect(await ask('instances:test', { name: 'vault' })).toMatchObject({ ok: true });

    expect(await ask('lock:lock')).toEqual({ ok: true });
    expect(await fakeBrowser.storage.session.get('unlockedKey')).toEqual({});
    expect(await ask('state:get')).toMatchObject({ locked: true, hasPassphrase: true, instances: [{ name: 'vault' }] });
    for (const reply of [await ask('refresh', {}), await ask('export', { keys: 'masked' }), await ask('instances:test', { name: 'vault' })])
      expect(reply).toEqual({ ok: false, error: lockedText() });
    await expect(ask('instances:list')).rejects.toThrow(lockedText());
    expect(await ask('instances:save', { instance: coreInstance() })).toMatchObject({ ok: false, error: lockedText() });
    expect(fakeBrowser.downloads.download).not.toHaveBeenCalled();

    const before = await storedText();
    expect(await ask('lock:unlock', { passphrase: 'wrong horse battery' })).toEqual({ ok: false, error: 'Wrong passphrase' });
    expect(await storedText()).toBe(before);
    expect(await ask('state:get')).toMatchObject({ locked: true });

    expect(await ask('lock:unlock', { passphrase: 'correct horse battery' })).toEqual({ ok: true });
    expect(await ask('state:get')).toMatchObject({ locked: false });
    // A restarted worker stays unlocked: the key is in storage.session, not in memory.
    const restarted = await loadApp({ inventory: fastHttp });
    expect(await restarted.ask('instances:test', { name: 'vault' })).toMatchObject({ ok: true });
    expect(app).not.toBe(restarted.app);
  });

  it('changes and removes the passphrase', async () => {
    const { ask } = await loadApp();
    await ask('instances:save', { instance: vaultInstance() });
    expect(await ask('lock:remove', { passphrase: 'whatever-it-is' })).toEqual({ ok: false, error: 'No passphrase is set: set one first.' });
    await ask('lock:set', { passphrase: 'first passphrase' });
    // An unlocked browser alone cannot re-key: the current passphrase is asked for.
    expect(await ask('lock:set', { passphrase: 'second passphrase' })).toEqual({ ok: false, error: 'Wrong passphrase' });
    expect(await ask('lock:set', { passphrase: 'second passphrase', current: 'wrong passphrase' })).toEqual({ ok: false, error: 'Wrong passphrase' });
    expect(await ask('lock:set', { passphrase: 'second passphrase', current: 'first passphrase' })).toEqual({ ok: true });
    await ask('lock:lock');
    expect(await ask('lock:unlock', { passphrase: 'first passphrase' })).toEqual({ ok: false, error: 'Wrong passphrase' });
    expect(await ask('lock:remove', { passphrase: 'first passphrase' })).toEqual({ ok: false, error: 'Wrong passphrase' });
    expect(await ask('lock:remove', { passphrase: 'second passphrase' })).toEqual({ ok: true });
    expect(await ask('state:get')).toMatchObject({ locked: false, hasPassphrase: false });
    expect(JSON.stringify(await fakeBrowser.storage.local.get(null))).toContain(VAULT_ADMIN_KEY);
  });

  it('seals with at least 600,000 PBKDF2 iterations unless told otherwise', async () => {
    const { ask } = await loadApp({ iterations: undefined });
    await ask('instances:save', { instance: vaultInstance() });
    await ask('lock:set', { passphrase: 'default strength' });
    const stored = (await fakeBrowser.storage.local.get('instances')).instances as { secrets: { box: { iterations: number } } };
    expect(stored.secrets.box.iterations).toBeGreaterThanOrEqual(600_000);
  });
});
