import { afterEach, describe, expect, it } from 'vitest';
import { XSOAR_ADVANCED_KEY, XSOAR_ADVANCED_KEY_ID, XSOAR_API_KEY, XSOAR_API_KEY_ID } from '../../test/mock-vendors/cortex-xsoar';
import { startXsiamMock } from '../../test/mock-vendors/cortex-xsiam';
import type { MockServer } from '../../test/mock-vendors/server';
import type { ResolvedInstance } from '../config';
import { readInstance } from '../inventory';
import { adapters } from './index';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const DAY = 86_400_000;
const servers: MockServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function tenant(options: Parameters<typeof startXsiamMock>[0] = {}): Promise<ResolvedInstance> {
  const server = await startXsiamMock({ now: NOW, ...options });
  servers.push(server);
  return { name: 'xsiam', vendor: 'cortex-xsiam', url: server.url, apiKey: XSOAR_API_KEY, apiKeyId: XSOAR_API_KEY_ID };
}

describe('Cortex XSIAM', () => {
  it('reads the tenant keys with the XSOAR 8 public API, standard and advanced keys alike', async () => {
    for (const extra of [{}, { apiKey: XSOAR_ADVANCED_KEY, apiKeyId: XSOAR_ADVANCED_KEY_ID, securityLevel: 'advanced' as const }]) {
      const { records, result } = await readInstance({ ...(await tenant()), ...extra }, {}, NOW);
      expect(result).toMatchObject({ ok: true, vendor: 'cortex-xsiam', count: 5, warnings: [] });
      expect(records.every((r) => r.vendor === 'cortex-xsiam' && r.coverage === 'tenant' && r.key === '')).toBe(true);
    }
  });

  it('says whose each key is: the lead is active, dana left, eve never logged in, frank is gone', async () => {
    const { records } = await readInstance(await tenant(), {}, NOW);
    const byId = Object.fromEntries(records.map((r) => [r.key_id, r]));
    expect(byId['101']).toMatchObject({ owner_state: 'active', owner_role: 'Instance Administrator', owner_last_login: new Date(NOW.getTime() - DAY).toISOString(), age_days: 20 });
    expect(byId['102']).toMatchObject({ owner_state: 'inactive', owner_last_login: new Date(NOW.getTime() - 400 * DAY).toISOString(), age_days: 500 });
    expect(byId['103']).toMatchObject({ owner_state: 'inactive', owner_last_login: '', owner_role: 'Viewer' });
    // Both of frank's keys, whatever the case of his name on each.
    expect([byId['104']!.owner_state, byId['105']!.owner_state]).toEqual(['orphaned', 'orphaned']);
    expect(byId['104']).toMatchObject({ owner_email: '', age_days: 700 });
  });

  it('pages and checks counts like XSOAR (one adapter)', async () => {
    const { records, result } = await readInstance(await tenant({ pageCap: 2 }), {}, NOW);
    expect(result.ok).toBe(true);
    expect(new Set(records.map((r) => r.key_id)).size).toBe(5);
  });

  it('names XSIAM, not XSOAR 6, when the API path is missing', async () => {
    const { result } = await readInstance(await tenant({ variant: 'xsoar6' }), {}, NOW);
    expect(result.error?.message).toContain('the URL must be the Cortex XSIAM API host https://api-<tenant fqdn>');
    expect(result.error?.message).not.toContain('XSOAR 6');
  });

  it('is registered under its own id, with the owner step of the Cortex adapter', () => {
    expect(adapters['cortex-xsiam']).toMatchObject({ id: 'cortex-xsiam', owners: expect.any(Function) });
  });
});
