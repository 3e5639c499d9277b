import { afterEach, describe, expect, it } from 'vitest';
import { startVaultMock, VAULT_ADMIN_KEY, VAULT_USERNAME } from '../test/mock-vendors/metadefender-vault';
import type { MockServer } from '../test/mock-vendors/server';
import type { ResolvedInstance } from './config';
import { instancePool, runInventory } from './inventory';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const servers: MockServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** Each Vault is its own server holding its first answer long enough for the others to start. */
async function vaults(count: number): Promise<ResolvedInstance[]> {
  for (let i = 0; i < count; i++) servers.push(await startVaultMock({ now: NOW, generate: 150, maxCount: 50, latencyMs: 40 }));
  return servers.map((server, i) => ({ name: `vault-${i}`, vendor: 'metadefender-vault', url: server.url, apiKey: VAULT_ADMIN_KEY, username: VAULT_USERNAME }));
}

describe('instance pool', () => {
  it('reads a fleet larger than 8 all at once, each server within its own page pool', async () => {
    const instances = await vaults(20);
    // Instances with a request in flight, counted at the client: the old fixed pool of 8 stops at 8.
    const busy = new Map<string, number>();
    let mostBusy = 0;
    const { records, results } = await runInventory(instances, {
      now: NOW,
      pagePool: 3,
      fetchFor: (instance) => async (input, init) => {
        busy.set(instance.name, (busy.get(instance.name) ?? 0) + 1);
        mostBusy = Math.max(mostBusy, busy.size);
        try {
          return await globalThis.fetch(input, init);
        } finally {
          const left = busy.get(instance.name)! - 1;
          if (left) busy.set(instance.name, left);
          else busy.delete(instance.name);
        }
      },
    });
    expect(results.every((r) => r.ok)).toBe(true);
    expect(records).toHaveLength(20 * 150);
    // The first page, three overlapping by one (0–49, 49–98, 98–147, 147–149), the last entry alone, the empty page.
    expect(servers.map((s) => s.requests.length)).toEqual(servers.map(() => 1 + 3 + 2));
    // One wave, not three.
    expect(mostBusy).toBe(20);
    for (const server of servers) expect(server.maxInFlight).toBeLessThanOrEqual(3);
    expect(Math.max(...servers.map((s) => s.maxInFlight))).toBeGreaterThan(1);
  });

  it('keeps at least 8 slots and at most 64', () => {
    expect([1, 8, 20, 50, 64, 500].map(instancePool)).toEqual([8, 8, 20, 50, 64, 64]);
  });
});
