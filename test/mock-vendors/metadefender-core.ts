import { randomBytes } from 'node:crypto';
import { header, startMock, type MockOptions, type MockReply, type MockRequest, type MockServer } from './server';

/** A Core user as stored by the mock: the served fields plus a login password the API never returns. */
export type CoreUserData = { id: number | string; name: string; password?: string } & Record<string, unknown>;
export type CoreDirectoryData = { id: number | string; name: string } & Record<string, unknown>;

export const CORE_ADMIN_KEY = 'CORE-ADMIN-APIKEY-7f3c9a1e5b2d4c6f8a0b1c2d3e4f5a6b';
export const CORE_ADMIN_USER = 'admin';
export const CORE_ADMIN_PASSWORD = 'CORE-ADMIN-PASSWORD-Qx7!tR2#vL9';
/** A valid key of a user without the Administrators role: Core refuses it user management. */
export const CORE_NONADMIN_KEY = 'CORE-USER-APIKEY-2b4d6f8a0c1e3a5c7e9b1d3f5a7c9e1b';

const ADMIN_ROLE = '1';

export const CORE_DIRECTORIES: CoreDirectoryData[] = [
  { id: 1, name: 'LOCAL', type: 'local', enabled: true, user_identified_by: 'username' },
  { id: 2, name: 'CORP', type: 'ldap', enabled: true, server: 'ldaps://dc01.corp.example:636', user_identified_by: 'sAMAccountName' },
];

// ~8 users across both directories, some without a key, one in a directory that was deleted,
// both key spellings (docs/contract.md#metadefender-core: `api_key` in v5, `apikey` in older releases) and awkward text.
export const CORE_USERS: CoreUserData[] = [
  { id: 1, name: CORE_ADMIN_USER, password: CORE_ADMIN_PASSWORD, display_name: 'Administrator', email: 'admin@core.example', directory_id: 1, roles: [ADMIN_ROLE], api_key: CORE_ADMIN_KEY },
  { id: 2, name: 'zoë.müller', display_name: 'Zoë Müller', email: 'zoe@core.example', directory_id: 1, roles: ['2'], api_key: CORE_NONADMIN_KEY },
  { id: 3, name: 'scan-robot', display_name: '=HYPERLINK("http://evil.example","click")', email: '', directory_id: 1, roles: [3], api_key: 'CORE-ROBOT-APIKEY-0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d' },
  { id: 4, name: 'jdoe', display_name: 'John Doe', email: 'jdoe@corp.example', directory_id: 2, roles: ['2'], apikey: 'CORE-LDAP-APIKEY-5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b' },
  { id: 5, name: 'Ωmega-ops', display_name: 'Ω Operations', email: 'omega@corp.example', directory_id: 2, roles: ['1', '2'], api_key: 'CORE-OMEGA-APIKEY-c0ffee00c0ffee00c0ffee00c0ffee00' },
  { id: 6, name: 'auditor', display_name: 'Read-only auditor', email: 'audit@core.example', directory_id: 1, roles: ['2'], api_key: '' },
  { id: 7, name: 'asmith', display_name: 'Alice Smith', email: 'asmith@corp.example', directory_id: 2, roles: ['2'] },
  { id: 8, name: 'orphan', display_name: 'Left over from a deleted directory', email: '', directory_id: 7, roles: ['2'], api_key: 'CORE-ORPHAN-APIKEY-1f2e3d4c5b6a79881f2e3d4c5b6a7988' },
];

/** Core's default roles (a name and a display name each); users carry their ids. */
export const CORE_ROLES: Record<string, unknown>[] = [
  { id: '1', name: 'admin', display_name: 'Administrators', editable: false },
  { id: '2', name: 'security_admin', display_name: 'Security administrators', editable: true },
  { id: '3', name: 'security_auditor', display_name: 'Security auditors', editable: true },
  { id: '4', name: 'help_desk', display_name: 'Help desk', editable: true },
];

export interface CoreMockOptions extends MockOptions {
  users?: CoreUserData[];
  directories?: CoreDirectoryData[];
  /** GET /admin/role's reply; default CORE_ROLES. */
  roles?: unknown;
  /**
   * Variants (test/vendor-variants.md): `no-ids` serves users without `id`; `directory-fails` answers
   * GET /admin/userdirectory with 500; `login-404` answers a refused login with 404 instead of 403;
   * `key-field-apiKey` spells every user's key field `apiKey` (neither seed spelling); `no-roles` has
   * no GET /admin/role (404, as an older build).
   */
  variant?: 'no-ids' | 'directory-fails' | 'login-404' | 'key-field-apiKey' | 'no-roles';
}

/** MetaDefender Core REST API on 127.0.0.1: `apikey` header or `/login` session, `{"err": …}` errors. */
export async function startCoreMock(options: CoreMockOptions = {}): Promise<MockServer> {
  const users = options.users ?? CORE_USERS;
  const directories = options.directories ?? CORE_DIRECTORIES;
  /** session id → user name */
  const sessions = new Map<string, string>();

  const keyOf = (u: CoreUserData) => u.api_key ?? u.apikey;
  const caller = (req: MockRequest): CoreUserData | undefined => {
    const apikey = header(req, 'apikey');
    if (!apikey) return undefined;
    const sessionUser = sessions.get(apikey);
    return users.find((u) => (sessionUser !== undefined ? u.name === sessionUser : keyOf(u) === apikey));
  };
  const err = (status: number, text: string): MockReply => ({ status, json: { err: text } });
  const hidden = new Set(options.variant === 'no-ids' ? ['password', 'id'] : ['password']);
  const spelled = (field: string) => (options.variant === 'key-field-apiKey' && (field === 'api_key' || field === 'apikey') ? 'apiKey' : field);
  const serve = (u: CoreUserData) => Object.fromEntries(Object.entries(u).filter(([field]) => !hidden.has(field)).map(([field, value]) => [spelled(field), value]));

  return startMock(
    'metadefender-core',
    (req) => {
      const path = req.path.split('?')[0];
      if (req.method === 'POST' && path === '/login') {
        const body = parseJson(req.body) as { user?: unknown; password?: unknown } | undefined;
        const user = users.find((u) => u.name === body?.user && u.password !== undefined && u.password === body?.password);
        if (!user) return err(options.variant === 'login-404' ? 404 : 403, 'Failed to login');
        const sessionId = `CORE-SESSION-${randomBytes(16).toString('hex')}`;
        sessions.set(sessionId, user.name);
        return { json: { session_id: sessionId } };
      }
      if (req.method === 'POST' && path === '/logout') {
        const apikey = header(req, 'apikey') ?? '';
        if (!sessions.delete(apikey)) return err(401, 'Invalid session');
        return { json: { response: 'Logout success' } };
      }
      if (req.method !== 'GET' || (path !== '/admin/user' && path !== '/admin/userdirectory' && path !== '/admin/role')) return undefined;
      if (path === '/admin/role' && options.variant === 'no-roles') return undefined;
      const user = caller(req);
      if (!user) return err(401, 'Invalid apikey');
      const roles = Array.isArray(user.roles) ? user.roles.map(String) : [];
      if (!roles.includes(ADMIN_ROLE)) return err(403, 'Access denied');
      if (path === '/admin/userdirectory' && options.variant === 'directory-fails') return err(500, 'Failed to query user directories');
      if (path === '/admin/role') return { json: options.roles ?? CORE_ROLES };
      return { json: path === '/admin/user' ? users.map(serve) : directories };
    },
    options,
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
