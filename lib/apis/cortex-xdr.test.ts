import { afterEach, describe, expect, it } from 'vitest';
import { XSOAR_ADVANCED_KEY, XSOAR_ADVANCED_KEY_ID } from '../../test/mock-vendors/cortex-xsoar';
import { startXdrMock } from '../../test/mock-vendors/cortex-xdr';
import type { MockServer } from '../../test/mock-vendors/server';
import type { ResolvedInstance } from '../config';
import { readInstance } from '../inventory';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const servers: MockServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function tenant(options: Parameters<typeof startXdrMock>[0] = {}): Promise<ResolvedInstance> {
  const server = await startXdrMock({ now: NOW, ...options });
  servers.push(server);
  return { name: 'xdr', vendor: 'cortex-xdr', url: server.url, apiKey: XSOAR_ADVANCED_KEY, apiKeyId: XSOAR_ADVANCED_KEY_ID, securityLevel: 'advanced' };
}

describe('Cortex XDR', () => {
  it('reads the lower-case reply, and joins owners: ops active, gina gone 120 days, hal never, ivan unlisted', async () => {
    const { records, result } = await readInstance(await tenant(), {}, NOW);
    expect(result).toMatchObject({ ok: true, vendor: 'cortex-xdr', count: 4, warnings: [] });
    expect(Object.fromEntries(records.map((r) => [r.key_id, [r.owner_state, r.age_days]]))).toEqual({
      '7': ['active', 400],
      '8': ['inactive', 90],
      '9': ['inactive', 2],
      '10': ['orphaned', 1000],
    });
    expect(records.find((r) => r.key_id === '9')).toMatchObject({ owner_role: '', owner_last_login: '', status: 'expired' });
  });

  it('keeps every key when its role may not read users, with one warning', async () => {
    const { records, result } = await readInstance(await tenant({ users: 'forbidden' }), {}, NOW);
    expect(result).toMatchObject({ ok: true, count: 4 });
    expect(result.warnings).toEqual([expect.stringMatching(/^xdr \(cortex-xdr\): owner details are unavailable/)]);
    expect(records.map((r) => r.owner_state)).toEqual(['', '', '', '']);
  });

  it('refuses a wrong key once, as an auth failure naming XDR', async () => {
    const inst = await tenant();
    const { result } = await readInstance({ ...inst, apiKey: `${XSOAR_ADVANCED_KEY}x` }, {}, NOW);
    expect(result.error?.kind).toBe('auth');
    expect(result.error?.message).toMatch(/^xdr \(cortex-xdr\): POST \/public_api\/v1\/api_keys\/get_api_keys was refused \(HTTP 401\)/);
    expect(servers[0]!.requests).toHaveLength(1);
  });
});
