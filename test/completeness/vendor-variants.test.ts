/**
 * docs/contract.md#completeness-states: every variant of test/vendor-variants.md, served by the
 * real HTTP mock vendors, read through the engine. Each instance ends ok, ok with warnings, or failed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ResolvedInstance } from '../../lib/config';
import { readInstance } from '../../lib/inventory';
import { startXsoarMock, XSOAR_API_KEY, XSOAR_API_KEY_ID, xsoarDemoKeys, type XsoarApiKey, type XsoarMockOptions } from '../mock-vendors/cortex-xsoar';
import { CLOUD_FREE_KEY, CLOUD_PAID_KEY, startCloudMock } from '../mock-vendors/metadefender-cloud';
import { CORE_ADMIN_KEY, CORE_ADMIN_USER, startCoreMock } from '../mock-vendors/metadefender-core';
import { STORAGE_ADMIN_PASSWORD, STORAGE_ADMIN_USER, STORAGE_NOKEY_PASSWORD, STORAGE_NOKEY_USER, startStorageMock } from '../mock-vendors/metadefender-storage';
import { startVaultMock, VAULT_ADMIN_KEY, VAULT_USERNAME, vaultDemoTokens } from '../mock-vendors/metadefender-vault';
import type { MockServer } from '../mock-vendors/server';

const NOW = new Date();
const DAY = 86_400_000;
const servers: MockServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
const started = async (server: Promise<MockServer>) => {
  servers.push(await server);
  return servers.at(-1)!;
};
const read = (instance: ResolvedInstance) => readInstance(instance, { http: { sleep: async () => {} } }, NOW);
/** The key list requests' `request_data` (the owner step after them asks for users). */
const keyRequests = (server: MockServer) => server.requests.filter((r) => r.path.endsWith('/get_api_keys'));
const requestData = (server: MockServer) => keyRequests(server).map((r) => (JSON.parse(r.body) as { request_data: Record<string, unknown> }).request_data);

describe('Cortex XSOAR variants', () => {
  const xsoar = async (options: XsoarMockOptions) => {
    const server = await started(startXsoarMock({ now: NOW, ...options }));
    return { server, instance: { name: 'xsoar', vendor: 'cortex-xsoar', url: server.url, apiKey: XSOAR_API_KEY, apiKeyId: XSOAR_API_KEY_ID } as ResolvedInstance };
  };
  const many = (n: number): XsoarApiKey[] =>
    Array.from({ length: n }, (_, i) => ({ id: i + 1, creation_time: NOW.getTime() - DAY, created_by: 'a', user_name: `u${i + 1}`, roles: [], security_level: 'standard', comment: null, expiration: null }));

  it('a server that caps replies and honours search_from/search_to: every key, once, ok', async () => {
    const { server, instance } = await xsoar({ apiKeys: many(23), pageCap: 10 });
    const { records, result } = await read(instance);
    expect(result).toMatchObject({ ok: true, count: 23, warnings: [] });
    expect(new Set(records.map((r) => r.key_id)).size).toBe(23);
    // The documented request first, then pages overlapping by one key (a list that moves shows
    // there), the last key alone and an empty page: counts never end a list.
    const froms = requestData(server).map((r) => r.search_from ?? 0);
    expect([...froms].sort((a, b) => Number(a) - Number(b))).toEqual([0, 9, 18, 22, 23]);
    expect(requestData(server)[0]).toEqual({});
  });

  it('a server that caps replies and ignores search_from/search_to: a paging error, the keys read kept, no loop', async () => {
    const { server, instance } = await xsoar({ apiKeys: many(23), pageCap: 10, paging: 'ignore' });
    const { records, result } = await read(instance);
    expect(result).toMatchObject({ ok: false, count: 10, error: { kind: 'paging' } });
    expect(result.error!.message).toContain('repeats the first page (the server seems to ignore the start position): 10 keys read; the keys read are kept');
    expect(records).toHaveLength(10);
    // The first page, then the pages already under way when the repeat was seen.
    expect(keyRequests(server).length).toBeLessThanOrEqual(3);
  });

  it('an unfiltered list without the expired keys that TOTAL_COUNT counts: asks for them once and merges by id', async () => {
    const { server, instance } = await xsoar({ variant: 'expired-hidden' });
    const { records, result } = await read(instance);
    expect(result).toMatchObject({ ok: true, count: 9, warnings: [] });
    expect(records.map((r) => r.key_id).sort()).toEqual(xsoarDemoKeys(NOW).map((k) => String(k.id)).sort());
    expect(requestData(server)).toContainEqual({ filters: [{ field: 'expiration', operator: 'lte', value: expect.any(Number) }] });
  });

  it('expired keys counted but never returned: ok with a warning naming the gap', async () => {
    const { instance } = await xsoar({ variant: 'expired-lost' });
    const { result } = await read(instance);
    expect(result).toMatchObject({ ok: true, count: 6 });
    expect(result.warnings).toEqual([
      'xsoar (cortex-xsoar): read 6 of the 9 keys the server counts (TOTAL_COUNT); the rest were not returned even when each of these was read to its end: POST /public_api/v1/api_keys/get_api_keys; POST /public_api/v1/api_keys/get_api_keys (expiration ≤ now)',
    ]);
  });

  it('a comment of any JSON type: strings as they are, other values as compact JSON', async () => {
    const keys = many(4).map((k, i) => ({ ...k, comment: [{ team: 'soc' }, 'plain', 42, null][i] })) as unknown as XsoarApiKey[];
    const { instance } = await xsoar({ apiKeys: keys });
    const { records, result } = await read(instance);
    expect(result.ok).toBe(true);
    expect(records.map((r) => r.description)).toEqual(['{"team":"soc"}', 'plain', '42', '']);
  });

  it('an XSOAR 6 server (404): says XSOAR 6 has no API that lists keys', async () => {
    const { instance } = await xsoar({ variant: 'xsoar6' });
    const { result } = await read(instance);
    expect(result.error).toMatchObject({ kind: 'http' });
    expect(result.error!.message).toMatch(/HTTP 404.*XSOAR 6 has no API that lists API keys/);
  });
});

describe('MetaDefender Storage Security variants', () => {
  const mdss = async (variant: 'metadata-only' | 'no-key-404' | 'unknown-shape' | 'html-404', username = STORAGE_ADMIN_USER, password = STORAGE_ADMIN_PASSWORD) => {
    const server = await started(startStorageMock({ now: NOW, variant }));
    return read({ name: 'mdss', vendor: 'metadefender-storage', url: server.url, username, password });
  };

  it('a key described without its value: one row, empty key cell', async () => {
    const { records, result } = await mdss('metadata-only');
    expect(result).toMatchObject({ ok: true, count: 1 });
    expect(records[0]).toMatchObject({ key_id: '66a0f3b1c2d3e4f5a6b7c8d9', key: '', owner: STORAGE_ADMIN_USER, created: expect.stringMatching(/Z$/) });
  });

  it('404 for a user without a key: zero rows, ok', async () => {
    const { records, result } = await mdss('no-key-404', STORAGE_NOKEY_USER, STORAGE_NOKEY_PASSWORD);
    expect(result).toMatchObject({ ok: true, count: 0, warnings: [] });
    expect(records).toEqual([]);
  });

  it('a proxy\'s HTML 404 for GET /api/apikey: a failure naming the route, never "no key"', async () => {
    const { records, result } = await mdss('html-404');
    expect(records).toEqual([]);
    expect(result).toMatchObject({ ok: false, error: { kind: 'http' } });
    expect(result.error!.message).toContain("GET /api/apikey was not found (HTTP 404) and the reply was not MetaDefender Storage Security's JSON");
  });

  it('an unknown non-empty shape: a format error, never zero keys', async () => {
    const { result } = await mdss('unknown-shape');
    expect(result).toMatchObject({ ok: false, error: { kind: 'format' } });
    expect(result.error!.message).toContain('GET /api/apikey returned a reply without a key id, creation date or key value (fields: status, scopes)');
  });
});

describe('MetaDefender Vault / MFT variants', () => {
  const vault = async (variant: 'pascal-case' | 'no-list') => {
    const server = await started(startVaultMock({ now: NOW, variant, generate: variant === 'pascal-case' ? 130 : undefined, maxCount: 50 }));
    return read({ name: 'vault', vendor: 'metadefender-vault', url: server.url, apiKey: VAULT_ADMIN_KEY, username: VAULT_USERNAME });
  };

  it('PascalCase pages (Items, FilterCount, TokenId): every token across the page cap', async () => {
    const { records, result } = await vault('pascal-case');
    expect(result).toMatchObject({ ok: true, count: 130 });
    expect(new Set(records.map((r) => r.key_id)).size).toBe(130);
    expect(records.every((r) => r.key_id !== '' && ['Guest', 'User', 'Administrator'].includes(r.roles[0]!))).toBe(true);
  });

  it('a page without a recognisable list: a format error, never an empty success', async () => {
    const { records, result } = await vault('no-list');
    expect(records).toEqual([]);
    expect(result).toMatchObject({ ok: false, error: { kind: 'format' } });
    expect(result.error!.message).toContain('field "items" is missing (expected the token list as "items")');
  });

  it('the demo data still reads as docs/contract.md#metadefender-vault spells it', async () => {
    const server = await started(startVaultMock({ now: NOW }));
    const { result } = await read({ name: 'vault', vendor: 'metadefender-vault', url: server.url, apiKey: VAULT_ADMIN_KEY });
    expect(result).toMatchObject({ ok: true, count: vaultDemoTokens(NOW).length });
  });
});

describe('MetaDefender Core variants', () => {
  const core = async (variant: 'no-ids' | 'directory-fails' | 'login-404' | 'key-field-apiKey', fields: Partial<ResolvedInstance> = { apiKey: CORE_ADMIN_KEY }) => {
    const server = await started(startCoreMock({ variant }));
    return read({ name: 'core', vendor: 'metadefender-core', url: server.url, ...fields });
  };

  it('users without id: still one row each, key_id empty', async () => {
    const { records, result } = await core('no-ids');
    expect(result).toMatchObject({ ok: true, count: 6 });
    expect(records.every((r) => r.key_id === '')).toBe(true);
    expect(records.map((r) => r.owner)).toContain('LOCAL\\admin');
  });

  it('a failing directory call: every row kept with <directory_id>\\user owners, and a warning', async () => {
    const { records, result } = await core('directory-fails');
    expect(result).toMatchObject({ ok: true, count: 6 });
    expect(records.map((r) => r.owner).sort()).toEqual(['1\\admin', '1\\scan-robot', '1\\zoë.müller', '2\\jdoe', '2\\Ωmega-ops', '7\\orphan']);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(/^core \(metadefender-core\): directory names are unavailable \(GET \/admin\/userdirectory failed with HTTP 500: "Failed to query user directories"\); owners show the directory id instead$/);
  });

  it('the key field spelled apiKey: every key is read, as with the documented spellings', async () => {
    const { records, result } = await core('key-field-apiKey');
    expect(result).toMatchObject({ ok: true, count: 6, warnings: [] });
    expect(records.map((r) => r.key)).toContain(CORE_ADMIN_KEY);
  });

  it('404 from POST /login: a credentials failure', async () => {
    const { result } = await core('login-404', { username: CORE_ADMIN_USER, password: 'wrong-password-1234' });
    expect(result.error).toMatchObject({ kind: 'auth' });
    expect(result.error!.message).toContain('POST /login was refused (HTTP 404');
  });
});

describe('MetaDefender Cloud variants', () => {
  const cloud = async (variant: 'date-only' | 'ip-blocked', apiKey: string) => {
    const server = await started(startCloudMock({ now: NOW, variant }));
    return read({ name: 'cloud', vendor: 'metadefender-cloud', url: server.url, apiKey });
  };

  it('date-only values: midnight UTC; 1970-01-01 = never', async () => {
    const paid = await cloud('date-only', CLOUD_PAID_KEY);
    const day = new Date(NOW.getTime() + 20 * DAY).toISOString().slice(0, 10);
    expect(paid.records[0]).toMatchObject({ expires: `${day}T00:00:00.000Z`, description: `paid (licence until ${day})` });
    const free = await cloud('date-only', CLOUD_FREE_KEY);
    expect(free.records[0]).toMatchObject({ expires: '', days_left: null, description: 'free' });
  });

  it('403 code 403002: named as the IP block, an auth failure', async () => {
    const { result } = await cloud('ip-blocked', CLOUD_PAID_KEY);
    expect(result.error).toMatchObject({ kind: 'auth' });
    expect(result.error!.message).toContain('MetaDefender Cloud blocked this IP for an hour after failed keys');
  });
});
