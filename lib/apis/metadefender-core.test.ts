import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedInstance } from '../config';
import { runInventory, type InventoryOptions } from '../inventory';
import {
  CORE_ADMIN_KEY,
  CORE_ADMIN_PASSWORD,
  CORE_ADMIN_USER,
  CORE_DIRECTORIES,
  CORE_NONADMIN_KEY,
  CORE_USERS,
  startCoreMock,
} from '../../test/mock-vendors/metadefender-core';
import { header, type MockServer } from '../../test/mock-vendors/server';

let mock: MockServer;
let sleeps: number[];

beforeAll(async () => {
  mock = await startCoreMock();
});
afterAll(() => mock.close());
afterEach(() => {
  mock.clearFaults();
  mock.resetStats();
});

const core = (fields: Partial<ResolvedInstance> = { apiKey: CORE_ADMIN_KEY }, server = mock): ResolvedInstance => ({
  name: 'core-prod',
  vendor: 'metadefender-core',
  url: server.url,
  ...fields,
});

function run(instance: ResolvedInstance, options: InventoryOptions = {}) {
  sleeps = [];
  return runInventory([instance], { http: { sleep: async (ms) => void sleeps.push(ms) }, ...options });
}

const byKeyId = <T extends { key_id: string }>(rows: T[]) => [...rows].sort((a, b) => Number(a.key_id) - Number(b.key_id));
const paths = () => mock.requests.map((r) => `${r.method} ${r.path}`);

describe('MetaDefender Core adapter', () => {
  it('lists one row per user with a key, owner DIRECTORY\\user, both key spellings', async () => {
    const { records, results } = await run(core());
    expect(results[0]).toMatchObject({ ok: true, count: 6 });
    expect(byKeyId(records).map((r) => [r.key_id, r.owner, r.directory, r.key])).toEqual([
      ['1', 'LOCAL\\admin', 'LOCAL', CORE_ADMIN_KEY],
      ['2', 'LOCAL\\zoë.müller', 'LOCAL', CORE_NONADMIN_KEY],
      ['3', 'LOCAL\\scan-robot', 'LOCAL', CORE_USERS[2]!.api_key],
      // older spelling `apikey`
      ['4', 'CORP\\jdoe', 'CORP', CORE_USERS[3]!.apikey],
      ['5', 'CORP\\Ωmega-ops', 'CORP', CORE_USERS[4]!.api_key],
      // directory 7 does not exist: the id stands in for its name
      ['8', '7\\orphan', '7', CORE_USERS[7]!.api_key],
    ]);
    const robot = records.find((r) => r.key_id === '3')!;
    expect(robot).toMatchObject({
      instance: 'core-prod',
      vendor: 'metadefender-core',
      description: '=HYPERLINK("http://evil.example","click")',
      roles: ['Security auditors'],
      created: '',
      expires: '',
      status: 'active',
      days_left: null,
    });
    expect(records.find((r) => r.key_id === '5')!.roles).toEqual(['Administrators', 'Security administrators']);
    expect(results[0]!.warnings).toEqual([]);
    expect(paths()).toEqual(['GET /admin/user', 'GET /admin/userdirectory', 'GET /admin/role']);
    expect(mock.requests.every((r) => header(r, 'apikey') === CORE_ADMIN_KEY)).toBe(true);
  });

  it('logs in with username and password, uses the session as apikey and logs out', async () => {
    const { records, results } = await run(core({ username: CORE_ADMIN_USER, password: CORE_ADMIN_PASSWORD }));
    expect(results[0]).toMatchObject({ ok: true, count: 6 });
    expect(records.map((r) => r.owner)).toContain('CORP\\jdoe');
    expect(paths()).toEqual(['POST /login', 'GET /admin/user', 'GET /admin/userdirectory', 'GET /admin/role', 'POST /logout']);
    expect(JSON.parse(mock.requests[0]!.body)).toEqual({ user: CORE_ADMIN_USER, password: CORE_ADMIN_PASSWORD });
    const session = header(mock.requests[1]!, 'apikey');
    expect(session).toMatch(/^CORE-SESSION-/);
    expect(mock.requests.slice(1).map((r) => header(r, 'apikey'))).toEqual([session, session, session, session]);
  });

  it('keeps the rows when logout fails', async () => {
    mock.fault({ kind: 'status', status: 500, json: { err: 'Internal error' } }, { path: /^\/logout/ });
    const { records, results } = await run(core({ username: CORE_ADMIN_USER, password: CORE_ADMIN_PASSWORD }));
    expect(results[0]).toMatchObject({ ok: true, count: 6 });
    expect(records).toHaveLength(6);
    expect(paths().at(-1)).toBe('POST /logout');
  });

  it('logs out even when the listing fails, and reports the listing error', async () => {
    mock.fault({ kind: 'status', status: 500, json: { err: 'Database is locked' } }, { path: /^\/admin\/user$/ });
    const { results } = await run(core({ username: CORE_ADMIN_USER, password: CORE_ADMIN_PASSWORD }));
    expect(results[0]!.error).toMatchObject({ kind: 'http' });
    expect(results[0]!.error!.message).toContain('Database is locked');
    expect(paths()).toEqual(['POST /login', 'GET /admin/user', 'POST /logout']);
  });

  it('uses a live console session as the apikey without logging in or out', async () => {
    const login = await fetch(`${mock.url}/login`, { method: 'POST', body: JSON.stringify({ user: CORE_ADMIN_USER, password: CORE_ADMIN_PASSWORD }) });
    const { session_id } = (await login.json()) as { session_id: string };
    mock.resetStats();
    const { results } = await run(core({ sessionToken: session_id }));
    expect(results[0]).toMatchObject({ ok: true, count: 6 });
    expect(paths()).toEqual(['GET /admin/user', 'GET /admin/userdirectory', 'GET /admin/role']);
    expect(mock.requests.every((r) => header(r, 'apikey') === session_id)).toBe(true);
  });

  it('reports a wrong password as an auth failure with Core’s text, without the password', async () => {
    const wrong = 'CORE-WRONG-PASSWORD-not-the-right-one';
    const { results } = await run(core({ username: CORE_ADMIN_USER, password: wrong }));
    const error = results[0]!.error!;
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('Failed to login');
    expect(error.message).not.toContain(wrong);
    expect(mock.requests).toHaveLength(1);
  });

  it.each([
    ['an unknown key (401)', 'CORE-UNKNOWN-APIKEY-ffffffffffffffffffffffffffffffff', 'Invalid apikey'],
    ['a non-administrator key (403)', CORE_NONADMIN_KEY, 'Access denied'],
  ])('refuses %s once, never retried, with the vendor text and an admin hint', async (_, key, vendorText) => {
    const { records, results } = await run(core({ apiKey: key }));
    const error = results[0]!.error!;
    expect(records).toEqual([]);
    expect(error.kind).toBe('auth');
    expect(error.message).toContain(vendorText);
    expect(error.message).toMatch(/administrator with user-management rights/);
    expect(error.message).toContain('core-prod');
    expect(error.message).not.toContain(key);
    expect(mock.requests).toHaveLength(1);
  });

  it('honours Retry-After on 429 and retries 503', async () => {
    mock.fault({ kind: 'status', status: 429, json: { err: 'Too many requests' }, headers: { 'retry-after': '2' } }, { path: /^\/admin\/user$/, times: 1 });
    mock.fault({ kind: 'status', status: 503, json: { err: 'Service unavailable' } }, { path: /^\/admin\/userdirectory$/, times: 1 });
    const { records, results } = await run(core());
    expect(results[0]).toMatchObject({ ok: true, count: 6 });
    expect(records).toHaveLength(6);
    expect(paths()).toEqual(['GET /admin/user', 'GET /admin/user', 'GET /admin/userdirectory', 'GET /admin/userdirectory', 'GET /admin/role']);
    expect(sleeps[0]).toBe(2000);
  });

  it('gives up after 3 tries of 503', async () => {
    mock.fault({ kind: 'status', status: 503, json: { err: 'Service unavailable' } }, { path: /^\/admin\/user$/ });
    const { results } = await run(core());
    expect(results[0]!.error).toMatchObject({ kind: 'http' });
    expect(results[0]!.error!.message).toMatch(/HTTP 503.*Service unavailable/);
    expect(mock.requests).toHaveLength(3);
  });

  it.each([
    ['an HTML login page', { kind: 'html-login' } as const, /HTML page instead of JSON/],
    ['malformed JSON', { kind: 'malformed' } as const, /malformed JSON/],
  ])('reports %s as a format error', async (_, fault, text) => {
    mock.fault(fault);
    const { results } = await run(core());
    expect(results[0]!.error).toMatchObject({ kind: 'format' });
    expect(results[0]!.error!.message).toMatch(text);
  });

  it('names the field of a wrong type', async () => {
    const typed = await startCoreMock({ users: [...CORE_USERS.slice(0, 2), { ...CORE_USERS[2]!, api_key: 123 }] });
    try {
      const { results } = await run(core({ apiKey: CORE_ADMIN_KEY }, typed));
      expect(results[0]!.error).toMatchObject({ kind: 'format' });
      expect(results[0]!.error!.message).toContain('"[2].api_key"');
    } finally {
      await typed.close();
    }
  });

  it('reports a users reply that is not an array', async () => {
    mock.fault({ kind: 'status', status: 200, json: { users: CORE_USERS } }, { path: /^\/admin\/user$/ });
    const { results } = await run(core());
    expect(results[0]!.error).toMatchObject({ kind: 'format' });
    expect(results[0]!.error!.message).toMatch(/GET \/admin\/user returned an unexpected reply: field "\(the whole reply\)".*array/);
  });

  it('accepts string ids and a user without a directory', async () => {
    const custom = await startCoreMock({
      directories: [{ id: 'ad-1', name: 'AD' }, ...CORE_DIRECTORIES],
      users: [
        CORE_USERS[0]!,
        { id: 'u-9', name: 'svc', display_name: null, directory_id: 'ad-1', roles: null, api_key: 'CORE-STRINGID-APIKEY-00112233445566778899aabbccddeeff' },
        { id: 10, name: 'legacy', apikey: 'CORE-LEGACY-APIKEY-99887766554433221100ffeeddccbbaa' },
      ],
    });
    try {
      const { records, results } = await run(core({ apiKey: CORE_ADMIN_KEY }, custom));
      expect(results[0]).toMatchObject({ ok: true, count: 3 });
      expect(records.find((r) => r.key_id === 'u-9')).toMatchObject({ owner: 'AD\\svc', directory: 'AD', description: '', roles: [] });
      expect(records.find((r) => r.key_id === '10')).toMatchObject({ owner: 'legacy', directory: '' });
    } finally {
      await custom.close();
    }
  });

  it('never puts a key, password or session in an error or result', async () => {
    mock.fault({ kind: 'status', status: 500, json: { err: 'boom' } }, { path: /^\/admin\/user$/ });
    const { results } = await run(core({ username: CORE_ADMIN_USER, password: CORE_ADMIN_PASSWORD }));
    const text = JSON.stringify(results);
    expect(results[0]!.ok).toBe(false);
    for (const secret of [CORE_ADMIN_KEY, CORE_ADMIN_PASSWORD, 'CORE-SESSION-']) expect(text).not.toContain(secret);
  });

  describe('role names (GET /admin/role)', () => {
    const withMock = async (options: Parameters<typeof startCoreMock>[0], check: (read: Awaited<ReturnType<typeof run>>) => void) => {
      const custom = await startCoreMock(options);
      try {
        check(await run(core({ apiKey: CORE_ADMIN_KEY }, custom)));
      } finally {
        await custom.close();
      }
    };

    it('without a role list (an older build: 404), keeps the ids and warns once', () =>
      withMock({ variant: 'no-roles' }, ({ records, results }) => {
        expect(results[0]).toMatchObject({ ok: true, count: 6 });
        expect(records.find((r) => r.key_id === '5')!.roles).toEqual(['1', '2']);
        expect(results[0]!.warnings).toEqual([expect.stringMatching(/^core-prod \(metadefender-core\): role names are unavailable \(GET \/admin\/role failed with HTTP 404.*\); roles show their ids instead$/)]);
      }));

    it('reads a list under `roles`, displayName or name when there is no display name; an id it lacks stays an id', () =>
      withMock({ roles: { roles: [{ id: 1, name: 'admin', displayName: 'Admins' }, { id: '2', name: 'security_admin' }, 'junk'] } }, ({ records, results }) => {
        expect(results[0]!.ok).toBe(true);
        expect(records.find((r) => r.key_id === '5')!.roles).toEqual(['Admins', 'security_admin']);
        expect(records.find((r) => r.key_id === '3')!.roles).toEqual(['3']);
        expect(results[0]!.warnings).toEqual([]);
      }));

    it('a reply that is no list at all keeps the ids, with a warning, never a failure', () =>
      withMock({ roles: { unexpected: true } }, ({ records, results }) => {
        expect(results[0]!.ok).toBe(true);
        expect(records.find((r) => r.key_id === '1')!.roles).toEqual(['1']);
        expect(results[0]!.warnings).toEqual([expect.stringMatching(/role names are unavailable \(GET \/admin\/role returned an unexpected reply/)]);
      }));
  });

  it('leaves non-API paths to other routes', async () => {
    expect((await fetch(`${mock.url}/#/dashboard`)).status).toBe(404);
    expect((await fetch(`${mock.url}/login`)).status).toBe(404);
  });
});
