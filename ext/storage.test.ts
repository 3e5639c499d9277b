import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';

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

  it('keeps the cache in storage.local and drops a damaged one', async () => {
    const storage = await load();
    const cache = {
      statuses: { vault: { lastRefresh: '2026-01-01T00:00:00.000Z', ok: true, credential: 'apiKey' as const } },
      keys: [{ instance: 'vault', vendor: 'metadefender-vault' as const, owner: 'alice', key_id: '3', description: 'CI', status: 'active' as const, expires: '2026-01-04T00:00:00.000Z', days_left: 3 }],
    };
    await storage.writeCache(cache);
    expect(await storage.readCache()).toEqual(cache);
    await fakeBrowser.storage.local.set({ cache: { statuses: 'nonsense' } });
    expect(await storage.readCache()).toEqual({ statuses: {}, keys: [] });
  });

  it('reads a v1 cache after the update, and drops a damaged one', async () => {
    const cache = {
      statuses: { core: { lastRefresh: '2026-01-01T00:00:00.000Z', ok: false, error: 'core: timed out' } },
      keys: [
        { instance: 'core', vendor: 'metadefender-core' as const, owner: 'LOCAL\\admin', key_id: '1', description: '', status: 'active' as const, expires: '', days_left: null },
        { instance: 'vault', vendor: 'metadefender-vault' as const, owner: 'alice', key_id: '3', description: 'CI', status: 'expired' as const, expires: '2025-01-04T00:00:00.000Z', days_left: -362 },
        { instance: 'core', vendor: 'metadefender-core' as const, owner: 'LOCAL\\bob', key_id: '2', description: 'x', status: 'active' as const, expires: '', days_left: null },
      ],
    };
    // v1 wrote the value as it was and no version marker.
    await fakeBrowser.storage.local.set({ cache });
    expect(await (await load()).readCache()).toEqual(cache);
    fakeBrowser.reset();
    await fakeBrowser.storage.local.set({ cache: { statuses: {}, keys: [{ instance: 'x' }] } });
    expect(await (await load()).readCache()).toEqual({ statuses: {}, keys: [] });
  });

  it('stores each instance and vendor once and no field names per key', async () => {
    const storage = await load();
    const keys = Array.from({ length: 1_000 }, (_, i) => ({
      instance: `vault-${i % 4}`,
      vendor: 'metadefender-vault' as const,
      owner: 'svc-backup',
      key_id: String(10_000 + i),
      description: 'nightly backup',
      status: 'active' as const,
      expires: '2027-01-04T00:00:00.000Z',
      days_left: 400,
    }));
    const cache = { statuses: {}, keys: [...keys].sort((a, b) => a.instance.localeCompare(b.instance)) };
    await storage.writeCache(cache);
    expect(await storage.readCache()).toEqual(cache);
    const stored = JSON.stringify((await fakeBrowser.storage.local.get('cache')).cache);
    expect(stored.match(/vault-\d/g)).toHaveLength(4);
    expect(stored).not.toContain('"owner"');
    expect(stored.length).toBeLessThan(JSON.stringify(cache).length * 0.5);
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
