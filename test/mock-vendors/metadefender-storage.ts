import { randomBytes } from 'node:crypto';
import { header, pathParts, startMock, type MockOptions, type MockReply, type MockServer } from './server';

/** A MDSS user as stored by the mock; `apiKey` is served verbatim by GET /api/apikey (null = no key). */
export interface StorageUserData {
  id: string;
  username: string;
  password: string;
  email: string;
  roles: unknown[];
  /** Listing users needs the admin role; others get a 403 there. */
  admin: boolean;
  apiKey: Record<string, unknown> | null;
}

export const STORAGE_ADMIN_USER = 'admin';
export const STORAGE_ADMIN_PASSWORD = 'MDSS-ADMIN-PASSWORD-w8#Lk2!pZ4';
export const STORAGE_ADMIN_KEY = 'MDSS-ADMIN-APIKEY-4c1d8e2f6a0b9c3d7e5f1a2b3c4d5e6f';
export const STORAGE_AUDITOR_USER = 'auditor';
export const STORAGE_AUDITOR_PASSWORD = 'MDSS-AUDITOR-PASSWORD-r5$Tq8@mN1';
export const STORAGE_AUDITOR_KEY = 'MDSS-AUDITOR-APIKEY-9f8e7d6c5b4a39281706f5e4d3c2b1a0';
export const STORAGE_NOKEY_USER = 'zoë.ω';
export const STORAGE_NOKEY_PASSWORD = 'MDSS-ZOE-PASSWORD-h3^Vb6&xC0';

const DAY_MS = 86_400_000;

/** Demo users; key creation dates are relative to `now`. */
export function storageUsers(now: Date = new Date()): StorageUserData[] {
  const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
  return [
    {
      id: '65f1c0a2e4b0a1b2c3d4e5f6',
      username: STORAGE_ADMIN_USER,
      password: STORAGE_ADMIN_PASSWORD,
      email: 'admin@mdss.example',
      roles: [{ id: '65f1c0a2e4b0a1b2c3d4e001', name: 'Admin' }],
      admin: true,
      apiKey: { id: '66a0f3b1c2d3e4f5a6b7c8d9', userId: '65f1c0a2e4b0a1b2c3d4e5f6', apiKey: STORAGE_ADMIN_KEY, createdAt: daysAgo(40) },
    },
    {
      id: '65f1c0a2e4b0a1b2c3d4e5f7',
      username: STORAGE_AUDITOR_USER,
      password: STORAGE_AUDITOR_PASSWORD,
      email: 'auditor@mdss.example',
      roles: ['Auditor', 'Reporter'],
      admin: false,
      // Another release's spelling: `value`, and a .NET timestamp without a zone.
      apiKey: { id: '66a0f3b1c2d3e4f5a6b7c8da', userId: '65f1c0a2e4b0a1b2c3d4e5f7', value: STORAGE_AUDITOR_KEY, createdAt: daysAgo(3).replace('Z', '0000') },
    },
    {
      id: '65f1c0a2e4b0a1b2c3d4e5f8',
      username: STORAGE_NOKEY_USER,
      password: STORAGE_NOKEY_PASSWORD,
      email: 'zoe@mdss.example',
      roles: ['Operator'],
      admin: false,
      apiKey: null,
    },
  ];
}

export interface StorageMockOptions extends MockOptions {
  users?: StorageUserData[];
  now?: Date;
  /**
   * Variants (test/vendor-variants.md): `metadata-only` describes the caller's key without its value
   * (as once the console has shown it); `no-key-404` answers 404 for a user without a key;
   * `unknown-shape` answers with an object that describes no key at all; `html-404` answers
   * GET /api/apikey with a proxy's HTML 404 page (the route is missing, not the key).
   */
  variant?: 'metadata-only' | 'no-key-404' | 'unknown-shape' | 'html-404';
}

/**
 * MetaDefender Storage Security REST API: JWT from /api/user/authenticate, Bearer auth, and the
 * user and key management calls that refuse API-key callers (docs/contract.md#metadefender-storage-security).
 */
export async function startStorageMock(options: StorageMockOptions = {}): Promise<MockServer> {
  const users = options.users ?? storageUsers(options.now);
  /** access token → user id */
  const tokens = new Map<string, string>();
  const problem = (status: number, title: string, detail?: string): MockReply => ({
    status,
    json: { type: 'https://tools.ietf.org/html/rfc9110#section-15.5', title, status, ...(detail ? { detail } : {}), traceId: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
  });

  return startMock(
    'metadefender-storage',
    (req) => {
      const parts = pathParts(req.path);
      if (parts[0] !== 'api') return undefined;
      const route = parts.slice(1).join('/');
      if (req.method === 'POST' && route === 'user/authenticate') {
        let body: { username?: unknown; password?: unknown } | undefined;
        try {
          body = JSON.parse(req.body) as typeof body;
        } catch {
          return problem(400, 'Bad Request', 'The request body is not valid JSON.');
        }
        const user = users.find((u) => u.username === body?.username && u.password === body?.password);
        if (!user) return { status: 401, json: { message: 'Invalid username or password.' } };
        const token = fakeJwt(user);
        tokens.set(token, user.id);
        return { json: { accessToken: token, refreshToken: `MDSS-REFRESH-${randomBytes(16).toString('hex')}`, expiresIn: 3600, userId: user.id } };
      }
      const isApiKeyCall = req.method === 'GET' && route === 'apikey';
      const isUserList = req.method === 'GET' && parts[1] === 'user' && parts[2] === 'active' && parts.length === 5;
      if (!isApiKeyCall && !isUserList) return undefined;
      // docs/contract.md#metadefender-storage-security: user and API key management is not allowed with an API key.
      if (header(req, 'apikey') !== undefined)
        return problem(403, 'Forbidden', 'This operation is not allowed when authenticating with an API key.');
      const bearer = /^Bearer (.+)$/i.exec(header(req, 'authorization') ?? '')?.[1];
      const user = users.find((u) => u.id === tokens.get(bearer ?? ''));
      if (!user) return problem(401, 'Unauthorized');
      if (isApiKeyCall) return apiKeyReply(user.apiKey, options.variant);
      if (!user.admin) return problem(403, 'Forbidden', 'You do not have permission to view users.');
      const start = Number(parts[3]);
      const count = Number(parts[4]);
      if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 1) return problem(400, 'Bad Request', 'Invalid paging.');
      const page = users.slice(start, start + count).map(({ id, username, email, roles }) => ({ id, username, email, roles, isActive: true }));
      return { json: { items: page, totalCount: users.length } };
    },
    options,
  );
}

function apiKeyReply(apiKey: StorageUserData['apiKey'], variant: StorageMockOptions['variant']): MockReply {
  if (variant === 'html-404') return { status: 404, text: '<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found</h1></center><hr><center>nginx</center></body></html>', headers: { 'content-type': 'text/html' } };
  if (variant === 'unknown-shape') return { json: { status: 'enabled', scopes: ['read'] } };
  if (!apiKey) return variant === 'no-key-404' ? { status: 404, json: { title: 'Not Found', status: 404 } } : { json: apiKey };
  if (variant !== 'metadata-only') return { json: apiKey };
  const { apiKey: _a, value: _v, key: _k, ...described } = apiKey;
  return { json: described };
}

/** A JWT-shaped token whose signature part is greppable in secret-hygiene tests. */
function fakeJwt(user: StorageUserData): string {
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const claims = { sub: user.id, name: user.username, exp: Math.floor(Date.now() / 1000) + 3600 };
  return `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}.MDSS-JWT-SIG-${randomBytes(16).toString('hex')}`;
}
