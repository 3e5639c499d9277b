import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { startVaultMock, VAULT_ADMIN_KEY, type VaultToken } from '../../test/mock-vendors/metadefender-vault';
import type { MockServer } from '../../test/mock-vendors/server';
import { loadApp, stubBrowserApis } from '../../test/support/background';

const NOW = new Date();
const DAY = 86_400_000;
const fastHttp = { http: { maxTries: 1, timeoutMs: 5_000 } };

const token = (token_id: number, description: string, days: number): VaultToken => ({
  token_id,
  token: `TOKEN-${token_id}-0123456789abcdef`,
  description,
  status: days < 0 ? 'expired' : 'valid',
  created: new Date(NOW.getTime() - 100 * DAY).toISOString(),
  expires: new Date(NOW.getTime() + (days + 0.5) * DAY).toISOString(),
  role: 'Administrator',
});

/** The mock serves this array on every request: tests change it between refreshes. */
let tokens: VaultToken[];
let vault: MockServer;
let granted: (pattern: string) => boolean;

beforeAll(async () => {
  tokens = [];
  vault = await startVaultMock({ now: NOW, tokens });
});
afterAll(() => vault.close());
beforeEach(() => {
  fakeBrowser.reset();
  granted = () => true;
  stubBrowserApis({ granted: (pattern) => granted(pattern) });
  tokens.splice(0, tokens.length, token(1, 'Nightly backup', 5), token(2, 'Kiosk', 20), token(3, 'Old sync', -3), token(4, 'Later', 200));
  vault.clearFaults();
  return () => vi.restoreAllMocks();
});

async function startedApp() {
  const loaded = await loadApp({ inventory: { ...fastHttp, now: NOW } });
  await loaded.ask('instances:save', { instance: { name: 'vault-hq', vendor: 'metadefender-vault', url: vault.url, apiKey: VAULT_ADMIN_KEY, username: 'alice' } });
  return loaded;
}

const shown = async () => Object.entries(await fakeBrowser.notifications.getAll()) as [string, { title: string; message: string }][];

describe('expiry notifications', () => {
  it('are off until turned on', async () => {
    const { ask } = await startedApp();
    expect(await ask('notify:get')).toEqual({ enabled: false, days: [30, 7, 1], expired: true });
    await ask('refresh', {});
    expect(await shown()).toEqual([]);
  });

  it('one grouped notification per refresh, each key once per threshold, across a worker restart', async () => {
    let { ask } = await startedApp();
    expect(await ask('notify:set', { enabled: true, days: [7, 30, 1, 7], expired: true })).toEqual({ ok: true });
    expect(await ask('notify:get')).toEqual({ enabled: true, days: [30, 7, 1], expired: true });
    await ask('refresh', {});
    const first = await shown();
    expect(first).toHaveLength(1);
    expect(first[0]![1].title).toBe('KeyAtlas: 3 keys need attention');
    expect(first[0]![1].message).toBe("1 expired: vault-hq 'Old sync'\n1 expires within 7 days: vault-hq 'Nightly backup'\n1 expires within 30 days: vault-hq 'Kiosk'");
    expect(first[0]![1].message).not.toContain('TOKEN-');

    await fakeBrowser.notifications.clear(first[0]![0]);
    ({ ask } = await loadApp({ inventory: { ...fastHttp, now: NOW } }));
    await ask('refresh', {});
    expect(await shown(), 'announced again after a restart').toEqual([]);

    // Renewed: a later expiry starts afresh; crossing 30 days again is announced again.
    tokens[1] = token(2, 'Kiosk', 25);
    await ask('refresh', {});
    expect((await shown()).map(([, n]) => n.message)).toEqual(["1 expires within 30 days: vault-hq 'Kiosk'"]);
  });

  it('keys past the rotation age are announced once, like a threshold, in the same notification', async () => {
    const { ask } = await startedApp();
    await ask('notify:set', { enabled: true, days: [7], expired: false });
    expect(await ask('settings:set', { maxKeyAgeDays: 99 })).toEqual({ ok: true });
    await ask('refresh', {});
    const [[id, first]] = (await shown()) as [[string, { title: string; message: string }]];
    // Four keys made 100 days ago, one of them also within 7 days: four keys, not five.
    expect(first.title).toBe('KeyAtlas: 4 keys need attention');
    expect(first.message).toBe(
      "1 expires within 7 days: vault-hq 'Nightly backup'\n4 older than 99 days (rotate them): vault-hq 'Old sync', vault-hq 'Nightly backup', vault-hq 'Kiosk' and 1 more",
    );
    await fakeBrowser.notifications.clear(id);
    await ask('refresh', {});
    expect(await shown()).toEqual([]);
    // A rotated key is a new key: announced when it too gets old, not before.
    tokens[1] = { ...token(5, 'Kiosk', 20), created: new Date(NOW.getTime() - DAY).toISOString() };
    await ask('refresh', {});
    expect(await shown()).toEqual([]);
  });

  it('a failed instance is announced once, not at every refresh', async () => {
    const { ask } = await startedApp();
    await ask('notify:set', { enabled: true, days: [30, 7, 1], expired: true });
    await ask('refresh', {});
    await fakeBrowser.notifications.clear((await shown())[0]![0]);
    vault.fault({ kind: 'status', status: 500 });
    await ask('refresh', {});
    expect((await shown()).map(([, n]) => [n.title, n.message])).toEqual([['KeyAtlas: an instance could not be read', 'Could not be read: vault-hq']]);
    await fakeBrowser.notifications.clear((await shown())[0]![0]);
    await ask('refresh', {});
    expect(await shown()).toEqual([]);
  });

  it('nothing is announced without the permission', async () => {
    const { ask } = await startedApp();
    await ask('notify:set', { enabled: true, days: [30, 7, 1], expired: true });
    vi.spyOn(fakeBrowser.permissions, 'contains').mockImplementation(async ({ permissions = [] }) => !permissions.includes('notifications'));
    await ask('refresh', {});
    expect(await shown()).toEqual([]);
  });

  it('nothing is announced while the lock is closed; the same keys are once it opens', async () => {
    const { app, ask } = await startedApp();
    await ask('refresh', {});
    expect(await ask('lock:set', { passphrase: 'correct horse battery' })).toEqual({ ok: true });
    await ask('notify:set', { enabled: true, days: [30, 7, 1], expired: true });
    expect(await ask('lock:lock')).toEqual({ ok: true });
    await ask('refresh', {});
    // Straight after a refresh of the cached keys, as the alarm would run it with the lock closed.
    await app.notifier.afterRefresh();
    expect(await shown()).toEqual([]);

    expect(await ask('lock:unlock', { passphrase: 'correct horse battery' })).toEqual({ ok: true });
    await app.notifier.afterRefresh();
    expect((await shown()).map(([, n]) => n.title)).toEqual(['KeyAtlas: 3 keys need attention']);
  });

  it('a click opens the console page of the first key’s instance', async () => {
    const { app, ask } = await startedApp();
    await ask('notify:set', { enabled: true, days: [30, 7, 1], expired: true });
    await ask('refresh', {});
    const [[id]] = (await shown()) as [[string, unknown]];
    const opened = vi.spyOn(fakeBrowser.tabs, 'create').mockImplementation(async (props) => props as never);
    await app.notifier.clicked(id);
    expect(opened).toHaveBeenCalledWith({ url: `${vault.url}/#/settings/security/api-keys` });
    expect(await shown()).toEqual([]);
  });
});

describe('changes since the previous successful refresh', () => {
  it('none after the first refresh; then added, removed and expiry changed', async () => {
    const { ask } = await startedApp();
    await ask('refresh', {});
    expect((await ask('state:get')).instances[0]!.changes).toBeUndefined();
    tokens.splice(0, 1);
    tokens.push(token(9, 'New robot', 90));
    tokens[1] = token(3, 'Old sync', 365);
    await ask('refresh', {});
    const { changes, consoleUrl } = (await ask('state:get')).instances[0]!;
    expect(consoleUrl).toBe(`${vault.url}/#/settings/security/api-keys`);
    expect(changes).toMatchObject({ added: 1, removed: 1, expiry: 1 });
    expect(changes!.items.map((c) => [c.kind, c.key_id])).toEqual([['expiry', '3'], ['added', '9'], ['removed', '1']]);
  });
});
