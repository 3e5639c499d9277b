import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedInstance } from '../config';
import { runInventory } from '../inventory';
import {
  STORAGE_ADMIN_KEY,
  STORAGE_ADMIN_PASSWORD,
  STORAGE_ADMIN_USER,
  STORAGE_AUDITOR_KEY,
  STORAGE_AUDITOR_PASSWORD,
  STORAGE_AUDITOR_USER,
  STORAGE_NOKEY_PASSWORD,
  STORAGE_NOKEY_USER,
  startStorageMock,
  storageUsers,
} from '../../test/mock-vendors/metadefender-storage';
import { header, type Fault, type MockServer } from '../../test/mock-vendors/server';

const NOW = new Date('2026-03-10T08:30:00.000Z');
const DAY_MS = 86_400_000;
let mock: MockServer;

beforeAll(async () => {
  mock = await startStorageMock({ now: NOW });
});
afterAll(() => mock.close());
afterEach(() => {
  mock.clearFaults();
  mock.resetStats();
});

const mdss = (fields: Partial<ResolvedInstance>, server = mock): ResolvedInstance => ({ name: 'mdss', vendor: 'metadefender-storage', url: server.url, ...fields });
const admin = () => mdss({ username: STORAGE_ADMIN_USER, password: STORAGE_ADMIN_PASSWORD });
const run = (instance: ResolvedInstance) => runInventory([instance], { now: NOW, http: { sleep: async () => {} } });
const paths = () => mock.requests.map((r) => `${r.method} ${r.path}`);

async function freshToken(username = STORAGE_ADMIN_USER, password = STORAGE_ADMIN_PASSWORD): Promise<string> {
  const reply = await fetch(`${mock.url}/api/user/authenticate`, { method: 'POST', body: JSON.stringify({ username, password }) });
  const { accessToken } = (await reply.json()) as { accessToken: string };
  mock.resetStats();
  return accessToken;
}

describe('MetaDefender Storage Security adapter', () => {
  it('logs in and lists the caller’s own key with roles from the user list', async () => {
    const { records, results } = await run(admin());
    expect(results[0]).toMatchObject({ ok: true, count: 1 });
    expect(records).toEqual([
      {
        instance: 'mdss',
        vendor: 'metadefender-storage',
        owner: STORAGE_ADMIN_USER,
        directory: '',
        key_id: '66a0f3b1c2d3e4f5a6b7c8d9',
        key: STORAGE_ADMIN_KEY,
        description: '',
        roles: ['Admin'],
        status: 'active',
        created: new Date(NOW.getTime() - 40 * DAY_MS).toISOString(),
        expires: '',
        days_left: null,
        // MDSS gives no user list to tell whether the owner is still here.
        owner_state: '',
        owner_last_login: '',
        owner_email: '',
        owner_role: '',
        age_days: 40,
        coverage: 'own key',
      },
    ]);
    expect(paths()).toEqual(['POST /api/user/authenticate', 'GET /api/apikey', 'GET /api/user/active/0/100']);
    expect(JSON.parse(mock.requests[0]!.body)).toEqual({ username: STORAGE_ADMIN_USER, password: STORAGE_ADMIN_PASSWORD });
    const bearer = header(mock.requests[1]!, 'authorization');
    expect(bearer).toMatch(/^Bearer eyJ.+\.MDSS-JWT-SIG-/);
    expect(header(mock.requests[2]!, 'authorization')).toBe(bearer);
  });

  it('reads the `value` spelling and a zone-less .NET date; a refused user list leaves roles empty', async () => {
    const { records, results } = await run(mdss({ username: STORAGE_AUDITOR_USER, password: STORAGE_AUDITOR_PASSWORD }));
    expect(results[0]).toMatchObject({ ok: true, count: 1 });
    expect(records[0]).toMatchObject({
      owner: STORAGE_AUDITOR_USER,
      key: STORAGE_AUDITOR_KEY,
      key_id: '66a0f3b1c2d3e4f5a6b7c8da',
      roles: [],
      created: new Date(NOW.getTime() - 3 * DAY_MS).toISOString(),
    });
    // the auditor may not list users: the mock answered 403, and the export still succeeded
    expect(paths().at(-1)).toBe('GET /api/user/active/0/100');
  });

  it('exports zero rows for a user without a key', async () => {
    const { records, results } = await run(mdss({ username: STORAGE_NOKEY_USER, password: STORAGE_NOKEY_PASSWORD }));
    expect(results[0]).toMatchObject({ ok: true, count: 0 });
    expect(records).toEqual([]);
  });

  it.each<[string, Fault]>([
    ['a 404', { kind: 'status', status: 404, json: { message: 'API key not found' } }],
    ['an empty object', { kind: 'status', status: 200, json: {} }],
    ['an object of empty fields', { kind: 'status', status: 200, json: { id: null, apiKey: null, createdAt: null } }],
  ])('treats %s from GET /api/apikey as no key', async (_, fault) => {
    mock.fault(fault, { path: /^\/api\/apikey$/ });
    const { records, results } = await run(admin());
    expect(results[0]).toMatchObject({ ok: true, count: 0 });
    expect(records).toEqual([]);
  });

  // docs/contract.md#metadefender-storage-security: the console shows a key's value only when it is generated; the key still exists.
  it('keeps a key object without a value as a row with an empty key cell', async () => {
    mock.fault({ kind: 'status', status: 200, json: { id: '66a0', apiKey: null, createdAt: null } }, { path: /^\/api\/apikey$/ });
    const { records, results } = await run(admin());
    expect(results[0]).toMatchObject({ ok: true, count: 1, warnings: [] });
    expect(records).toMatchObject([{ key_id: '66a0', key: '', owner: STORAGE_ADMIN_USER }]);
  });

  it('refuses an API-key-only instance without sending anything, and says why', async () => {
    const { records, results } = await run(mdss({ apiKey: STORAGE_ADMIN_KEY }));
    expect(records).toEqual([]);
    expect(results[0]!.error!.kind).toBe('unsupported');
    expect(results[0]!.error!.message).toMatch(/^mdss \(metadefender-storage\): MetaDefender Storage Security API keys cannot list API keys/);
    expect(results[0]!.error!.message).toMatch(/username and password/);
    expect(results[0]!.error!.message).not.toContain(STORAGE_ADMIN_KEY);
    expect(mock.requests).toHaveLength(0);
  });

  it('uses a live console session as the Bearer token and takes the owner from the user list', async () => {
    const token = await freshToken();
    const { records, results } = await run(mdss({ sessionToken: token }));
    expect(results[0]).toMatchObject({ ok: true, count: 1 });
    expect(records[0]).toMatchObject({ owner: STORAGE_ADMIN_USER, roles: ['Admin'], key: STORAGE_ADMIN_KEY });
    expect(paths()).toEqual(['GET /api/apikey', 'GET /api/user/active/0/100']);
    expect(mock.requests.every((r) => header(r, 'authorization') === `Bearer ${token}`)).toBe(true);
  });

  it('leaves the owner empty for a console session when the user list is unavailable', async () => {
    const token = await freshToken(STORAGE_AUDITOR_USER, STORAGE_AUDITOR_PASSWORD);
    const { records, results } = await run(mdss({ sessionToken: token }));
    expect(results[0]).toMatchObject({ ok: true, count: 1 });
    expect(records[0]).toMatchObject({ owner: '', roles: [], key: STORAGE_AUDITOR_KEY });
  });

  it.each<[string, Fault]>([
    ['a 500', { kind: 'status', status: 500, json: { message: 'Internal Server Error' } }],
    ['an unknown shape', { kind: 'status', status: 200, json: { data: { rows: 'nope' } } }],
    ['users of an unknown shape', { kind: 'status', status: 200, json: [{ username: 42, roles: 'Admin' }] }],
    ['an HTML page', { kind: 'html-login' }],
    ['malformed JSON', { kind: 'malformed' }],
    ['a 401', { kind: 'status', status: 401, json: {} }],
  ])('still exports when the user list answers %s', async (_, fault) => {
    mock.fault(fault, { path: /^\/api\/user\/active\// });
    const { records, results } = await run(admin());
    expect(results[0]).toMatchObject({ ok: true, count: 1 });
    expect(records[0]).toMatchObject({ owner: STORAGE_ADMIN_USER, key: STORAGE_ADMIN_KEY, roles: [] });
  });

  it('accepts a user list given as a bare array with `userName` and string roles', async () => {
    const users = [{ id: '65f1c0a2e4b0a1b2c3d4e5f6', userName: 'ADMIN', roles: ['Admin', { name: 'Auditor' }] }];
    mock.fault({ kind: 'status', status: 200, json: users }, { path: /^\/api\/user\/active\// });
    const { records } = await run(admin());
    expect(records[0]!.roles).toEqual(['Admin', 'Auditor']);
  });

  it.each([['access_token'], ['token']])('accepts the session token as `%s`', async (field) => {
    const token = await freshToken();
    mock.fault({ kind: 'status', status: 200, json: { [field]: token, expiresIn: 3600 } }, { path: /^\/api\/user\/authenticate$/, times: 1 });
    const { results } = await run(admin());
    expect(results[0]).toMatchObject({ ok: true, count: 1 });
  });

  it('reports a login reply without a token as a format error', async () => {
    mock.fault({ kind: 'status', status: 200, json: { refreshToken: 'x', expiresIn: 3600 } }, { path: /^\/api\/user\/authenticate$/ });
    const { results } = await run(admin());
    expect(results[0]!.error).toMatchObject({ kind: 'format' });
    expect(results[0]!.error!.message).toMatch(/no session token \(expected "accessToken", "access_token" or "token"\)/);
  });

  it('reports a wrong password as auth with the vendor’s text, once, without the password', async () => {
    const wrong = 'MDSS-WRONG-PASSWORD-definitely-not-it';
    const { results } = await run(mdss({ username: STORAGE_ADMIN_USER, password: wrong }));
    const error = results[0]!.error!;
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('Invalid username or password.');
    expect(error.message).not.toContain(wrong);
    expect(mock.requests).toHaveLength(1);
  });

  it('reports an expired session token as auth, never retried, without the token', async () => {
    const stale = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzdGFsZSJ9.MDSS-STALE-SIG-0123456789abcdef';
    const { results } = await run(mdss({ sessionToken: stale }));
    expect(results[0]!.error).toMatchObject({ kind: 'auth' });
    expect(results[0]!.error!.message).toContain('Unauthorized');
    expect(results[0]!.error!.message).not.toContain(stale);
    expect(mock.requests).toHaveLength(1);
  });

  it('retries a 503 on the key call and gives up after 3 tries', async () => {
    mock.fault({ kind: 'status', status: 503, json: { title: 'Service Unavailable' } }, { path: /^\/api\/apikey$/, times: 2 });
    expect((await run(admin())).results[0]).toMatchObject({ ok: true, count: 1 });
    mock.resetStats();
    mock.fault({ kind: 'status', status: 503, json: { title: 'Service Unavailable' } }, { path: /^\/api\/apikey$/ });
    const { results } = await run(admin());
    expect(results[0]!.error).toMatchObject({ kind: 'http' });
    expect(paths().filter((p) => p === 'GET /api/apikey')).toHaveLength(3);
  });

  it.each<[string, Fault, RegExp]>([
    ['an HTML login page', { kind: 'html-login' }, /HTML page instead of JSON/],
    ['malformed JSON', { kind: 'malformed' }, /malformed JSON/],
    ['a wrong field type', { kind: 'status', status: 200, json: { id: 7, apiKey: 12345 } }, /field "apiKey"/],
  ])('reports %s from GET /api/apikey as a format error, secrets redacted', async (_, fault, text) => {
    mock.fault(fault, { path: /^\/api\/apikey$/ });
    const { results } = await run(admin());
    expect(results[0]!.error).toMatchObject({ kind: 'format' });
    expect(results[0]!.error!.message).toMatch(text);
    expect(JSON.stringify(results)).not.toMatch(/MDSS-JWT-SIG-|MDSS-ADMIN-PASSWORD/);
  });

  it('a createdAt that is not a date costs the key that date, with a warning naming it', async () => {
    const users = storageUsers(NOW);
    users[0]!.apiKey = { ...users[0]!.apiKey, createdAt: 'last Tuesday' };
    const custom = await startStorageMock({ users });
    try {
      const { records, results } = await run(mdss({ username: STORAGE_ADMIN_USER, password: STORAGE_ADMIN_PASSWORD }, custom));
      expect(results[0]).toMatchObject({ ok: true, count: 1 });
      expect(records[0]).toMatchObject({ created: '' });
      expect(results[0]!.warnings).toEqual([expect.stringMatching(/^mdss \(metadefender-storage\): 1 date could not be read and is left empty \(createdAt of key /)]);
    } finally {
      await custom.close();
    }
  });

  it('mock: refuses API-key callers on key and user management (docs/contract.md#metadefender-storage-security)', async () => {
    for (const path of ['/api/apikey', '/api/user/active/0/100']) {
      const reply = await fetch(mock.url + path, { headers: { ApiKey: STORAGE_ADMIN_KEY } });
      expect(reply.status).toBe(403);
      expect(((await reply.json()) as { detail: string }).detail).toMatch(/not allowed when authenticating with an API key/);
    }
    expect((await fetch(`${mock.url}/#/settings/users`)).status).toBe(404);
  });
});
