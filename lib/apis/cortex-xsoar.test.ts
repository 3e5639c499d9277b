import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startXsoarMock,
  XSOAR_ADVANCED_KEY,
  XSOAR_ADVANCED_KEY_ID,
  XSOAR_API_KEY,
  XSOAR_API_KEY_ID,
  xsoarDemoKeys,
  type XsoarMockOptions,
} from '../../test/mock-vendors/cortex-xsoar';
import { startMock, type MockServer } from '../../test/mock-vendors/server';
import type { ResolvedInstance } from '../config';
import { readInstance } from '../inventory';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const DAY = 86_400_000;
const servers: MockServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function xsoar(options: XsoarMockOptions = {}): Promise<MockServer> {
  const server = await startXsoarMock({ now: NOW, ...options });
  servers.push(server);
  return server;
}

const standard = (server: MockServer, extra: Partial<ResolvedInstance> = {}): ResolvedInstance => ({
  name: 'xsoar-eu',
  vendor: 'cortex-xsoar',
  url: server.url,
  apiKey: XSOAR_API_KEY,
  apiKeyId: XSOAR_API_KEY_ID,
  ...extra,
});

const advanced = (server: MockServer, extra: Partial<ResolvedInstance> = {}): ResolvedInstance =>
  standard(server, { apiKey: XSOAR_ADVANCED_KEY, apiKeyId: XSOAR_ADVANCED_KEY_ID, securityLevel: 'advanced', ...extra });

const read = (inst: ResolvedInstance) => readInstance(inst, {}, NOW);

describe('records', () => {
  it.each([true, false])('maps every key (upper-case reply: %s)', async (upperCase) => {
    const server = await xsoar({ upperCase });
    const { records, result } = await read(standard(server));
    expect(result).toMatchObject({ ok: true, count: 9 });
    const byId = new Map(records.map((r) => [r.key_id, r]));
    // docs/contract.md#cortex-xsoar-xsiam-and-xdr's own example, read field by field.
    expect(byId.get('25')).toEqual({
      instance: 'xsoar-eu',
      vendor: 'cortex-xsoar',
      owner: 'Public API - 21',
      directory: '',
      key_id: '25',
      key: '',
      description: '',
      roles: ['default'],
      status: 'expired',
      created: new Date(1709544947832).toISOString(),
      expires: '2024-03-11T09:35:47.184Z',
      days_left: Math.floor((1710149747184 - NOW.getTime()) / DAY),
      // A `Public API - N` name is no user of the tenant.
      owner_state: 'orphaned',
      owner_last_login: '',
      owner_email: '',
      owner_role: '',
      age_days: Math.floor((NOW.getTime() - 1709544947832) / DAY),
      coverage: 'tenant',
    });
    // Never expires: null, 0 and negative.
    for (const id of ['31', '40', '41']) expect(byId.get(id)).toMatchObject({ expires: '', days_left: null, status: 'active' });
    expect(byId.get('31')).toMatchObject({ owner: 'alice@example.com', description: 'SOAR playbooks – Zoë', roles: ['Instance Administrator'], created: new Date(NOW.getTime() - 120 * DAY).toISOString() });
    expect(byId.get('40')).toMatchObject({ roles: ['Analyst', 'Investigator'], description: '=cmd|" /C calc"!A0' });
    expect(byId.get('41')).toMatchObject({ description: '<b>markup</b>' });
    expect(byId.get('42')).toMatchObject({ status: 'expired', days_left: -2, expires: new Date(NOW.getTime() - 2 * DAY).toISOString() });
    expect(byId.get('43')).toMatchObject({ status: 'active', days_left: 6, roles: [] });
    expect(byId.get(XSOAR_API_KEY_ID)).toMatchObject({ days_left: 25, description: 'KeyAtlas inventory' });
    // The API never returns key values.
    expect(records.every((r) => r.key === '')).toBe(true);
  });

  it('sends a standard key as is, with its id and an empty request', async () => {
    const server = await xsoar();
    await read(standard(server));
    const [request] = server.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/public_api/v1/api_keys/get_api_keys', body: '{"request_data":{}}' });
    expect(request!.headers).toMatchObject({ authorization: XSOAR_API_KEY, 'x-xdr-auth-id': XSOAR_API_KEY_ID, 'content-type': 'application/json' });
    expect(request!.headers['x-xdr-nonce']).toBeUndefined();
  });

  // docs/contract.md#counts-are-checks: a count no reply makes good is a short list, never `ok`.
  it('ends incomplete when the counts announce more than the server delivers, keeping the keys', async () => {
    const server = await xsoar({ announcedCount: 70 });
    const { records, result } = await read(standard(server));
    expect(result).toMatchObject({ ok: false, count: 9, error: { kind: 'incomplete' } });
    expect(result.error!.message).toMatch(
      /^xsoar-eu \(cortex-xsoar\): the server announced 70 keys but delivered 9: the list is incomplete \(the keys read are kept\); FILTER_COUNT of POST \/public_api\/v1\/api_keys\/get_api_keys claimed 70; .*try again, and report it to the vendor if it persists$/,
    );
    expect(records).toHaveLength(9);
  });

  it('accepts the key list directly under reply', async () => {
    const keys = xsoarDemoKeys(NOW).slice(0, 2);
    // A server that pages as the Cortex public APIs do (search_from/search_to).
    const server = await startMock('xsoar-variant', (req) => {
      const { search_from = 0, search_to = 100 } = (JSON.parse(req.body) as { request_data: { search_from?: number; search_to?: number } }).request_data;
      return { json: { reply: keys.slice(search_from, search_to) } };
    });
    servers.push(server);
    const { records, result } = await read(standard(server));
    expect(result.ok).toBe(true);
    expect(records.map((r) => r.key_id)).toEqual(['25', '24']);
  });

  it('names a reply without a key list', async () => {
    const server = await startMock('xsoar-empty', () => ({ json: { reply: { FILTER_COUNT: 0, TOTAL_COUNT: 0 } } }));
    servers.push(server);
    const { result } = await read(standard(server));
    expect(result.error).toEqual({
      kind: 'format',
      message: 'xsoar-eu (cortex-xsoar): POST /public_api/v1/api_keys/get_api_keys returned an unexpected reply: field "reply.data" is missing (expected the key list as "data" or "DATA"); check that the URL is the cortex-xsoar API and that its version is supported',
    });
  });

  it('a time it cannot read costs that key its expiry, with a warning naming it', async () => {
    const [key] = xsoarDemoKeys(NOW);
    const server = await xsoar({ apiKeys: [key!, { ...key!, id: 26, expiration: 1e20 }] });
    const { records, result } = await read(standard(server));
    expect(result).toMatchObject({ ok: true, count: 2 });
    expect(records.find((r) => r.key_id === '26')).toMatchObject({ expires: '' });
    expect(result.warnings).toEqual(['xsoar-eu (cortex-xsoar): 1 date could not be read and is left empty (expiration of key 26): check it in the console']);
  });

  it('tells epoch seconds from milliseconds by magnitude', async () => {
    const [key] = xsoarDemoKeys(NOW);
    const server = await xsoar({ apiKeys: [{ ...key!, id: 1, expiration: 1710149747 }, { ...key!, id: 2, expiration: 1710149747184 }] });
    const { records } = await read(standard(server));
    expect(records.map((r) => r.expires)).toEqual(['2024-03-11T09:35:47.000Z', '2024-03-11T09:35:47.184Z']);
  });

  it('names a field of the wrong type', async () => {
    const [key] = xsoarDemoKeys(NOW);
    const server = await xsoar({ apiKeys: [{ ...key!, roles: 'default' as unknown as string[] }], upperCase: false });
    const { result } = await read(standard(server));
    expect(result.error?.message).toMatch(/field "reply\.data\[0\]\.roles" .*expected array/);
  });
});

describe('advanced keys', () => {
  it('sign each request with sha256(key + nonce + timestamp) and never send the key', async () => {
    const server = await xsoar();
    const before = Date.now();
    const { result } = await read(advanced(server));
    expect(result).toMatchObject({ ok: true, count: 9 });
    const headers = server.requests[0]!.headers as Record<string, string>;
    expect(headers['x-xdr-auth-id']).toBe(XSOAR_ADVANCED_KEY_ID);
    expect(headers['x-xdr-nonce']).toMatch(/^[A-Za-z0-9]{64}$/);
    expect(Number(headers['x-xdr-timestamp'])).toBeGreaterThanOrEqual(before);
    expect(headers.authorization).toBe(createHash('sha256').update(XSOAR_ADVANCED_KEY + headers['x-xdr-nonce'] + headers['x-xdr-timestamp']).digest('hex'));
    expect(JSON.stringify(server.requests)).not.toContain(XSOAR_ADVANCED_KEY);
  });

  it('use a fresh nonce every time', async () => {
    const server = await xsoar();
    await read(advanced(server));
    await read(advanced(server));
    const [a, b] = server.requests.map((r) => r.headers['x-xdr-nonce']);
    expect(a).not.toBe(b);
  });

  it('sign a retried request anew, so a server that refuses a reused nonce still answers', async () => {
    const server = await xsoar();
    server.fault({ kind: 'status', status: 503 }, { times: 1 });
    const { result } = await readInstance(advanced(server), { http: { sleep: async () => {} } }, NOW);
    expect(result.ok).toBe(true);
    // The refused try and its retry, then the reads to the end of the list (the last key alone, an empty page); then the users.
    const nonces = server.requests.filter((r) => r.path.endsWith('/get_api_keys')).map((r) => r.headers['x-xdr-nonce']);
    expect(nonces).toHaveLength(4);
    expect(new Set(server.requests.map((r) => r.headers['x-xdr-nonce'])).size).toBe(server.requests.length);
  });

  it('are refused when the hash is wrong', async () => {
    const server = await xsoar();
    const { result } = await read(advanced(server, { apiKey: `${XSOAR_ADVANCED_KEY}x` }));
    expect(result.error?.kind).toBe('auth');
    expect(server.requests).toHaveLength(1);
  });

  it('are refused when sent as standard keys', async () => {
    const server = await xsoar();
    const { result } = await read(advanced(server, { securityLevel: 'standard' }));
    expect(result.error?.kind).toBe('auth');
    expect(result.error?.message).not.toContain(XSOAR_ADVANCED_KEY);
  });
});

describe('errors', () => {
  it('a wrong key says what to check, with the vendor text, once', async () => {
    const server = await xsoar();
    const { records, result } = await read(standard(server, { apiKey: 'XSOAR-WRONG-KEY-0000000000000000' }));
    expect(records).toEqual([]);
    expect(result.error).toEqual({
      kind: 'auth',
      message:
        'xsoar-eu (cortex-xsoar): POST /public_api/v1/api_keys/get_api_keys was refused (HTTP 401): "Public API request unauthorized". Check the API key, its key id (sent as x-xdr-auth-id) and its security level (standard or advanced, as chosen when the key was made), and that the URL is the API host https://api-<tenant fqdn>, not the console address.',
    });
    expect(server.requests).toHaveLength(1);
  });

  it('an unknown key id is refused with the vendor detail', async () => {
    const server = await xsoar();
    const { result } = await read(standard(server, { apiKeyId: '9999' }));
    expect(result.error?.message).toContain('"Public API request unauthorized (missing or unknown x-xdr-auth-id)"');
  });

  it('HTTP 402 is a license failure, not retried', async () => {
    const server = await xsoar({ license: false });
    const { result } = await read(standard(server));
    expect(result.error?.kind).toBe('license');
    expect(result.error?.message).toContain('(HTTP 402: payment required): "Your tenant is not licensed for the public API"');
    expect(server.requests).toHaveLength(1);
  });

  it('the console address instead of the API host gets the HTML advice', async () => {
    const server = await xsoar();
    server.fault({ kind: 'html-login' });
    const { result } = await read(standard(server));
    expect(result.error?.kind).toBe('format');
    expect(result.error?.message).toContain('HTML page instead of JSON');
  });

  it('never lets the key into a message, even when the server echoes it', async () => {
    const server = await xsoar();
    server.fault({ kind: 'status', status: 403, json: { reply: { err_code: 403, err_msg: 'Forbidden', err_extra: `key ${XSOAR_API_KEY} lacks a role` } } });
    const { result } = await read(standard(server));
    expect(result.error?.message).toContain('"Forbidden (key [redacted] lacks a role)"');
    expect(result.error?.message).not.toContain(XSOAR_API_KEY);
  });

  it('without a key there is no request, and the reason', async () => {
    const server = await xsoar();
    const { result } = await read(standard(server, { apiKey: undefined }));
    expect(result.error).toEqual({ kind: 'auth', message: 'xsoar-eu (cortex-xsoar): needs an API key and its key id: create one under Settings > API Keys and add both to this instance' });
    expect(server.requests).toHaveLength(0);
  });
});

describe('the mock', () => {
  it('refuses an advanced signature that is stale or has a short nonce', async () => {
    const server = await xsoar();
    const post = (nonce: string, timestamp: string) =>
      fetch(`${server.url}/public_api/v1/api_keys/get_api_keys`, {
        method: 'POST',
        headers: {
          'x-xdr-auth-id': XSOAR_ADVANCED_KEY_ID,
          'x-xdr-nonce': nonce,
          'x-xdr-timestamp': timestamp,
          authorization: createHash('sha256').update(XSOAR_ADVANCED_KEY + nonce + timestamp).digest('hex'),
        },
        body: '{"request_data":{}}',
      });
    const nonce = 'a'.repeat(64);
    expect((await post(nonce, String(Date.now()))).status).toBe(200);
    expect((await post(nonce, String(Date.now() - 10 * 60_000))).status).toBe(401);
    expect((await post('a'.repeat(63), String(Date.now()))).status).toBe(401);
    expect((await fetch(`${server.url}/public_api/v1/other`, { method: 'POST' })).status).toBe(404);
  });
});

describe('owners (rbac/get_users, after the keys)', () => {
  const states = (records: { key_id: string; owner_state: string }[]) => Object.fromEntries(records.map((r) => [r.key_id, r.owner_state]));

  it('joins each key to its user: active, inactive (long gone or never logged in), orphaned (not listed)', async () => {
    const server = await xsoar();
    const { records, result } = await read(standard(server));
    expect(result).toMatchObject({ ok: true, warnings: [] });
    expect(states(records)).toMatchObject({ '31': 'active', '40': 'inactive', '41': 'orphaned', '42': 'inactive', '43': 'inactive', '25': 'orphaned' });
    expect(records.find((r) => r.key_id === '31')).toMatchObject({
      owner_email: 'alice@example.com',
      owner_role: 'Instance Administrator',
      owner_last_login: new Date(NOW.getTime() - 3 * DAY).toISOString(),
    });
    // carol never logged in, and her entry has no role.
    expect(records.find((r) => r.key_id === '43')).toMatchObject({ owner_last_login: '', owner_role: '', owner_email: 'carol' });
    // The users are asked for after the keys, with the same credentials.
    const users = server.requests.at(-1)!;
    expect(users.path).toBe('/public_api/v1/rbac/get_users');
    expect(JSON.parse(users.body)).toEqual({ request_data: {} });
    expect(users.headers['x-xdr-auth-id']).toBe(XSOAR_API_KEY_ID);
  });

  it.each([
    ['forbidden', /owner details are unavailable \(POST \/public_api\/v1\/rbac\/get_users: the API key may not read users/],
    ['missing', /owner details are unavailable \(POST \/public_api\/v1\/rbac\/get_users: POST \/public_api\/v1\/rbac\/get_users failed with HTTP 404/],
  ] as const)('users %s: every key kept, no owner state, one warning, never a failed instance', async (users, warning) => {
    const server = await xsoar({ users });
    const { records, result } = await read(advanced(server));
    expect(result).toMatchObject({ ok: true, count: 9 });
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(warning);
    expect(records.every((r) => r.owner_state === '' && r.owner_last_login === '')).toBe(true);
  });

  it('reads users whatever the reply wraps them in, and tolerates missing fields and odd values', async () => {
    const server = await xsoar();
    const users = [
      { user_email: 'ALICE@example.com', last_logged_in: String(Math.floor((NOW.getTime() - DAY) / 1000)) },
      { user_email: 'bob@example.com', role_name: null, last_logged_in: 'yesterday' },
    ];
    server.fault({ kind: 'status', status: 200, json: { reply: { DATA: users } } }, { path: /get_users/ });
    const { records, result } = await read(standard(server));
    expect(result.warnings).toEqual([]);
    // Matched in any case; epoch seconds as a string read as seconds; an unreadable login is "never".
    expect(records.find((r) => r.key_id === '31')).toMatchObject({ owner_state: 'active', owner_last_login: new Date(Math.floor((NOW.getTime() - DAY) / 1000) * 1000).toISOString() });
    expect(records.find((r) => r.key_id === '40')).toMatchObject({ owner_state: 'inactive', owner_last_login: '', owner_role: '' });
    expect(records.find((r) => r.key_id === '43')?.owner_state).toBe('orphaned');
  });

  it('a list with unreadable entries marks nobody orphaned, and says so', async () => {
    const server = await xsoar();
    server.fault({ kind: 'status', status: 200, json: { reply: [{ user_email: 'alice@example.com', last_logged_in: NOW.getTime() }, 'not a user', { role_name: 'Viewer' }] } }, { path: /get_users/ });
    const { records, result } = await read(standard(server));
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([expect.stringMatching(/owner details: 2 of the 3 users listed had no email or name; keys of owners not found are not marked orphaned/)]);
    expect(states(records)).toMatchObject({ '31': 'active', '41': '', '25': '' });
  });

  it.each([{ reply: [] }, { reply: { something: 'else' } }, {}])('a reply without users (%j) is no reason to call every key orphaned', async (json) => {
    const server = await xsoar();
    server.fault({ kind: 'status', status: 200, json }, { path: /get_users/ });
    const { records, result } = await read(standard(server));
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([expect.stringMatching(/owner details are unavailable/)]);
    expect(records.every((r) => r.owner_state === '')).toBe(true);
  });

  it('is not asked for when the keys could not be read', async () => {
    const server = await xsoar({ license: false });
    await read(standard(server));
    expect(server.requests.map((r) => r.path)).toEqual(['/public_api/v1/api_keys/get_api_keys']);
  });
});
