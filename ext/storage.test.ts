import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { KeyMeta } from '../lib/messages';
import { columnsOf } from './key-columns';

// Migrations run when an item is defined, so each test loads ext/storage afresh over the data it seeded.
const load = async () => {
  vi.resetModules();
  return import('./storage');
};

const V2 = {
  instances: [
    { name: 'core-prod', vendor: 'metadefender-core', url: 'https://core.example:8008' },
    { name: 'vault', vendor: 'metadefender-vault', url: 'https://vault.example:8010', username: 'alice' },
  ],
  secrets: { kind: 'plain', byName: { 'core-prod': { apiKey: 'CORE-KEY-0123456789' }, vault: { apiKey: 'VAULT-KEY-0123456789' } } },
};

describe('instances item', () => {
  beforeEach(() => fakeBrowser.reset());

  it('starts empty and round-trips a value in storage.local, never storage.sync', async () => {
    const storage = await load();
    expect(await storage.readStoredInstances()).toEqual({ instances: [], secrets: { kind: 'plain', byName: {} } });
    await storage.writeStoredInstances(V2 as never);
    expect(await storage.readStoredInstances()).toEqual(V2);
    expect((await fakeBrowser.storage.local.get('instances')).instances).toEqual(V2);
    expect((await fakeBrowser.storage.local.get('instances$'))['instances$']).toEqual({ v: storage.INSTANCES_VERSION });
    expect(await fakeBrowser.storage.sync.get(null)).toEqual({});
  });

  it('migrates v1 (secrets inline in an array) to v2', async () => {
    await fakeBrowser.storage.local.set({
      instances: [
        { name: 'core-prod', vendor: 'metadefender-core', url: 'https://core.example:8008', apiKey: 'CORE-KEY-0123456789' },
        { name: 'vault', vendor: 'metadefender-vault', url: 'https://vault.example:8010', apiKey: 'VAULT-KEY-0123456789', username: 'alice' },
      ],
    });
    const storage = await load();
    expect(await storage.readStoredInstances()).toEqual(V2);
    expect((await fakeBrowser.storage.local.get('instances$'))['instances$']).toEqual({ v: 2 });
  });

  it('leaves a v2 value alone, with or without its version mark', async () => {
    await fakeBrowser.storage.local.set({ instances: V2, instances$: { v: 2 } });
    expect(await (await load()).readStoredInstances()).toEqual(V2);
    // A write whose version mark was lost looks like v1; the migration must not mangle it.
    await fakeBrowser.storage.local.remove('instances$');
    expect(await (await load()).readStoredInstances()).toEqual(V2);
  });

  it('never writes a value that fails validation', async () => {
    const storage = await load();
    await storage.writeStoredInstances(V2 as never);
    const broken = { ...V2, instances: [{ ...V2.instances[0], url: 'ftp://core.example' }] };
    await expect(storage.writeStoredInstances(broken as never)).rejects.toThrow(/Instances to save are damaged: instances\[0\]\.url/);
    expect((await fakeBrowser.storage.local.get('instances')).instances).toEqual(V2);
  });

  it('reports damaged stored data instead of replacing it, without quoting values', async () => {
    await fakeBrowser.storage.local.set({ instances: { ...V2, secrets: { kind: 'plain', byName: { vault: { apiKey: 42 } } } }, instances$: { v: 2 } });
    const storage = await load();
    await expect(storage.readStoredInstances()).rejects.toThrow(/Stored instances are damaged: secrets\.byName\.vault\.apiKey/);
    expect(JSON.stringify((await fakeBrowser.storage.local.get('instances')).instances)).toContain('"apiKey":42');
  });
});

describe('cache and session items', () => {
  beforeEach(() => fakeBrowser.reset());

  const DAY = 86_400_000;
  const status = { lastRefresh: '2026-01-01T00:00:00.000Z', ok: true, credential: 'apiKey' as const };
  /** A key as readCache gives it back: status and days left counted at `now`. */
  // Keys cached without an owner or creation date (and every key of an older cache) read back as unknown on both.
  const unknownOwner = (k: KeyMeta): KeyMeta => ({ ...k, owner_state: '', owner_last_login: '', age_days: null });
  const aged = (k: KeyMeta, now: number): KeyMeta => unknownOwner({ ...k, days_left: k.expires ? Math.floor((Date.parse(k.expires) - now) / DAY) : null });

  it('keeps each instance’s status and keys in storage.local, and drops a damaged cache', async () => {
    const storage = await load();
    const now = Date.now();
    const keys: KeyMeta[] = [
      { instance: 'vault', vendor: 'metadefender-vault', owner: 'alice', key_id: '3', description: 'CI\nnightly \\ weekly', status: 'active', expires: new Date(now + 3.5 * DAY).toISOString(), days_left: 3 },
      { instance: 'vault', vendor: 'metadefender-vault', owner: 'bob', key_id: '4', description: '', status: 'expired', expires: new Date(now + 40.5 * DAY).toISOString(), days_left: 40 },
      { instance: 'vault', vendor: 'metadefender-vault', owner: 'eve', key_id: '', description: 'never', status: 'active', expires: '', days_left: null },
    ];
    await storage.writeCachedInstance('vault', status, columnsOf('vault', 'metadefender-vault', keys));
    expect(await storage.readCache(new Date(now))).toEqual({ statuses: { vault: status }, keys: keys.map(unknownOwner) });
    // A fresh worker decodes what storage holds.
    expect(await (await load()).readCache(new Date(now))).toEqual({ statuses: { vault: status }, keys: keys.map(unknownOwner) });
    expect(Object.keys(await fakeBrowser.storage.local.get(null)).sort()).toEqual(['cache', 'cache$', 'cache:vault']);

    await fakeBrowser.storage.local.set({ cache: { statuses: 'nonsense' } });
    expect(await storage.readCache()).toEqual({ statuses: {}, keys: [] });
  });

  it('keeps each instance’s coverage in cache v3; a v3 cache written before coverage was kept still reads, without one', async () => {
    const storage = await load();
    const withCoverage = { ...status, coverage: 'own + system-level tokens' as const };
    await storage.writeCachedInstance('vault', withCoverage, columnsOf('vault', 'metadefender-vault', []));
    expect((await (await load()).readCache()).statuses).toEqual({ vault: withCoverage });
    expect((await fakeBrowser.storage.local.get('cache$'))['cache$']).toEqual({ v: 3 });

    // As the previous build wrote it: same version, no coverage field.
    const stored = (await fakeBrowser.storage.local.get('cache')).cache as { statuses: Record<string, object>; keys: Record<string, string> };
    await fakeBrowser.storage.local.set({ cache: { ...stored, statuses: { vault: status } } });
    expect((await (await load()).readCache()).statuses).toEqual({ vault: status });
    // One this build does not know claims nothing, and costs nothing else of the cache.
    await fakeBrowser.storage.local.set({ cache: { ...stored, statuses: { vault: { ...status, coverage: 'everything' } } } });
    const read = (await (await load()).readCache()).statuses;
    expect(read).toEqual({ vault: status });
    expect(read.vault!.coverage).toBeUndefined();
  });

  it('reads an instance’s keys from storage again only when they were written since', async () => {
    const storage = await load();
    const key = (owner: string): KeyMeta => ({ instance: 'core', vendor: 'metadefender-core', owner, key_id: '', description: '', status: 'active', expires: '', days_left: null });
    await storage.writeCachedInstance('core', status, columnsOf('core', 'metadefender-core', [key('a')]));
    const fresh = await load();
    const get = vi.spyOn(fakeBrowser.storage.local, 'get');
    const owners = async () => (await fresh.readCache()).keys.map((k) => k.owner);
    const keyReads = () => get.mock.calls.filter(([keys]) => JSON.stringify(keys).includes('cache:core')).length;
    expect([await owners(), keyReads()]).toEqual([['a'], 1]);
    expect([await owners(), keyReads()]).toEqual([['a'], 1]);
    // Another worker's write (here: the first module's) changes the stamp: read again.
    await storage.writeCachedInstance('core', status, columnsOf('core', 'metadefender-core', [key('b')]));
    expect([await owners(), keyReads()]).toEqual([['b'], 2]);
    // A keys item that does not belong to the status's write is not read, and the instance says its keys are missing.
    const item = (await fakeBrowser.storage.local.get('cache:core'))['cache:core'] as Record<string, unknown>;
    await fakeBrowser.storage.local.set({ 'cache:core': { ...item, stamp: 'other' } });
    const mismatched = await (await load()).readCache();
    expect(mismatched).toMatchObject({ keys: [] });
    expect(mismatched.statuses.core).toMatchObject({ ok: false, errorKind: 'incomplete' });
    get.mockRestore();
  });

  it('writes an instance’s keys again only when they changed; its status every time', async () => {
    const storage = await load();
    const key = (owner: string, created = ''): KeyMeta & { created: string } => ({ instance: 'core', vendor: 'metadefender-core', owner, key_id: '', description: '', status: 'active', expires: '', days_left: null, created });
    const set = vi.spyOn(fakeBrowser.storage.local, 'set');
    const keyWrites = () => set.mock.calls.filter(([items]) => 'cache:core' in items).length;
    const write = (keys: KeyMeta[], lastRefresh: string) => storage.writeCachedInstance('core', { ...status, lastRefresh }, columnsOf('core', 'metadefender-core', keys));
    await write([key('a'), key('b')], '2026-01-01T00:00:00.000Z');
    await write([key('a'), key('b')], '2026-01-02T00:00:00.000Z');
    expect(keyWrites()).toBe(1);
    // The status is new, and a fresh worker reads the keys the first write stored under the stamp it still names.
    expect(await (await load()).readCache()).toMatchObject({ statuses: { core: { lastRefresh: '2026-01-02T00:00:00.000Z' } }, keys: [{ owner: 'a' }, { owner: 'b' }] });
    for (const changed of [[key('b'), key('a')], [key('b')], [key('b'), key('a', '2025-06-01T00:00:00.000Z')]]) await write(changed, '2026-01-03T00:00:00.000Z');
    expect(keyWrites()).toBe(4);
    expect(await (await load()).readCache()).toMatchObject({ keys: [{ owner: 'b' }, { owner: 'a', age_days: expect.any(Number) }] });
    set.mockRestore();
  });

  it('forgets removed instances: their status and their keys item', async () => {
    const storage = await load();
    for (const name of ['a', 'b']) await storage.writeCachedInstance(name, status, columnsOf(name, 'metadefender-cloud', []));
    await storage.forgetCachedInstances(['a']);
    expect(Object.keys(await fakeBrowser.storage.local.get(null)).sort()).toEqual(['cache', 'cache$', 'cache:b']);
    expect(Object.keys((await storage.readCache()).statuses)).toEqual(['b']);
  });

  it.each([
    [
      'v1 (every key an object, no version mark)',
      (cache: { statuses: object; keys: KeyMeta[] }) => ({ cache }),
    ],
    [
      'v2 (one run of rows per instance)',
      (cache: { statuses: object; keys: KeyMeta[] }) => ({
        cache: {
          statuses: cache.statuses,
          runs: ['core', 'vault'].map((instance) => {
            const mine = cache.keys.filter((k) => k.instance === instance);
            return { instance, vendor: mine[0]!.vendor, keys: mine.map((k) => [k.owner, k.key_id, k.description, k.expires, k.status, k.days_left]) };
          }),
        },
        cache$: { v: 2 },
      }),
    ],
  ])('reads a %s cache after the update, and drops a damaged one', async (_, stored) => {
    const now = Date.now();
    const cache = {
      statuses: { core: { lastRefresh: '2026-01-01T00:00:00.000Z', ok: false, error: 'core: timed out' } },
      keys: [
        { instance: 'core', vendor: 'metadefender-core' as const, owner: 'LOCAL\\admin', key_id: '1', description: '', status: 'active' as const, expires: '', days_left: null },
        { instance: 'core', vendor: 'metadefender-core' as const, owner: 'LOCAL\\bob', key_id: '2', description: 'x', status: 'active' as const, expires: '', days_left: null },
        { instance: 'vault', vendor: 'metadefender-vault' as const, owner: 'alice', key_id: '3', description: 'CI', status: 'expired' as const, expires: '2025-01-04T00:00:00.000Z', days_left: -362 },
      ],
    };
    await fakeBrowser.storage.local.set(stored(cache));
    expect(await (await load()).readCache(new Date(now))).toEqual({ statuses: cache.statuses, keys: cache.keys.map((k) => aged(k, now)) });
    expect((await fakeBrowser.storage.local.get('cache$'))['cache$']).toEqual({ v: 3 });
    fakeBrowser.reset();
    await fakeBrowser.storage.local.set({ cache: { statuses: {}, keys: [{ instance: 'x' }] } });
    expect(await (await load()).readCache()).toEqual({ statuses: {}, keys: [] });
  });

  it('stores each key’s fields as columns: no field names, no instance or vendor per key', async () => {
    const storage = await load();
    const keys = Array.from({ length: 1_000 }, (_, i): KeyMeta => ({
      instance: 'vault-1',
      vendor: 'metadefender-vault',
      owner: 'svc-backup',
      key_id: String(10_000 + i),
      description: 'nightly backup',
      status: 'active',
      expires: '2027-01-04T00:00:00.000Z',
      days_left: 400,
    }));
    await storage.writeCachedInstance('vault-1', status, columnsOf('vault-1', 'metadefender-vault', keys));
    const stored = JSON.stringify(await fakeBrowser.storage.local.get(null));
    // Its status, its keys' stamp and its keys item's name.
    expect(stored.match(/vault-1/g)).toHaveLength(3);
    // One column per field: its name once, the vendor once.
    expect(stored.match(/"owner"/g)).toHaveLength(1);
    expect(stored.match(/metadefender-vault/g)).toHaveLength(1);
    expect(stored.length).toBeLessThan(JSON.stringify(keys).length * 0.4);
  });

  it('keeps the unlocked key and the refresh checkpoint in storage.session', async () => {
    const storage = await load();
    await storage.refreshingItem.setValue({ done: 1, total: 3, remaining: ['b', 'c'] });
    await storage.unlockedKeyItem.setValue({ jwk: { kty: 'oct', k: 'AAAA' }, salt: '00ff', iterations: 1000 });
    expect(Object.keys(await fakeBrowser.storage.session.get(null)).sort()).toEqual(['refreshing', 'unlockedKey']);
    expect(Object.keys(await fakeBrowser.storage.local.get(null))).not.toContain('unlockedKey');
    expect(await storage.readRefreshing()).toEqual({ done: 1, total: 3, remaining: ['b', 'c'] });
    expect(await storage.readUnlockedKey()).toMatchObject({ iterations: 1000 });
  });
});
