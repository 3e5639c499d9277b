import { z } from 'zod';
import { settleDate, vendorDate } from './dates';
import { InstanceError } from './errors';
import type { AdapterContext, VendorAdapter } from './types';

const optionalText = z.string().nullable().optional();
const idSchema = z.union([z.string(), z.number()]);

// docs/contract.md#metadefender-storage-security: the token's field name differs between releases.
const authenticateSchema = z.looseObject({ accessToken: optionalText, access_token: optionalText, token: optionalText });

// The caller's own key; `null`, `{}` or `[]` when the user has none.
const apiKeySchema = z.preprocess(
  (reply) => (Array.isArray(reply) && reply.length === 0 ? null : reply),
  z
    .looseObject({
      id: idSchema.nullable().optional(),
      apiKey: optionalText,
      key: optionalText,
      value: optionalText,
      createdAt: vendorDate,
      created_at: vendorDate,
      userId: idSchema.nullable().optional(),
      user_id: idSchema.nullable().optional(),
    })
    .nullable(),
);

const roleSchema = z.union([z.string(), z.looseObject({ name: z.string() })]);
const userSchema = z.looseObject({
  id: idSchema.nullable().optional(),
  userId: idSchema.nullable().optional(),
  username: optionalText,
  userName: optionalText,
  roles: z.array(roleSchema).nullable().optional(),
  role: roleSchema.nullable().optional(),
});
type User = z.infer<typeof userSchema>;
const userListSchema = z.union([
  z.array(z.unknown()),
  z.looseObject({ items: z.array(z.unknown()) }).transform((page) => page.items),
  z.looseObject({ users: z.array(z.unknown()) }).transform((page) => page.users),
]);

// Error bodies seen: ASP.NET problem details ({title, detail}) and plain {message} / {error}.
const errorSchema = z.looseObject({ detail: optionalText, message: optionalText, error: optionalText, title: optionalText });

const USER_PAGE = '/api/user/active/0/100';

export const metadefenderStorage = {
  id: 'metadefender-storage',
  errors: {
    message: (body) => {
      const e = errorSchema.safeParse(body).data;
      return e?.detail || e?.message || e?.error || e?.title || undefined;
    },
    authHint:
      'Use the username and password of a MetaDefender Storage Security user (its API keys cannot list keys); check the password has not changed.',
  },
  async list(ctx) {
    const bearer = await sessionToken(ctx);
    const headers = { authorization: `Bearer ${bearer}` };
    let reply: z.infer<typeof apiKeySchema>;
    try {
      reply = await ctx.http.json({ method: 'GET', path: '/api/apikey', headers, schema: apiKeySchema });
    } catch (error) {
      // A user who never generated a key gets the vendor's JSON 404. A 404 as an HTML page, a proxy's
      // text or an empty body is a missing route, never "no key".
      if (error instanceof InstanceError && error.status === 404) {
        if (error.jsonBody) return;
        throw ctx.http.fail(
          'http',
          'GET /api/apikey was not found (HTTP 404) and the reply was not MetaDefender Storage Security\'s JSON: check that the URL is the MetaDefender Storage Security API (not a proxy or the web console) and that its version is supported',
          404,
        );
      }
      throw error;
    }
    const present = Object.entries(reply ?? {}).flatMap(([field, value]) => (value === null || value === undefined || value === '' ? [] : [field]));
    if (!reply || !present.length) return;
    const key = reply.apiKey || reply.key || reply.value || '';
    const created = settleDate(reply.createdAt || reply.created_at, ctx.ledger, 'createdAt', reply.id == null ? '' : String(reply.id));
    const hasId = reply.id !== null && reply.id !== undefined && reply.id !== '';
    // docs/contract.md#metadefender-storage-security: the console shows a key's value only when it is generated, so a reply may describe
    // the key without it; that is still a key (an empty key cell, as for XSOAR). A shape with
    // none of these is not read as "no key".
    if (!key && created === '' && !hasId)
      throw ctx.http.fail(
        'format',
        `GET /api/apikey returned a reply without a key id, creation date or key value (fields: ${present.slice(0, 10).join(', ')}): check that the URL is the MetaDefender Storage Security API and that its version is supported`,
      );
    const userId = reply.userId ?? reply.user_id;
    const user = await findCaller(ctx, headers, userId === null || userId === undefined ? undefined : String(userId));
    ctx.emit({
      instance: ctx.instance.name,
      vendor: 'metadefender-storage',
      owner: ctx.instance.username ?? userName(user),
      directory: '',
      key_id: hasId ? String(reply.id) : '',
      key,
      description: '',
      roles: user ? userRoles(user) : [],
      created,
      // Keys never expire; they die on a password change (docs/contract.md#metadefender-storage-security).
      expires: '',
    });
  },
} satisfies VendorAdapter;

async function sessionToken(ctx: AdapterContext): Promise<string> {
  const { sessionToken: live, username, password } = ctx.instance;
  if (live) return live;
  // docs/contract.md#metadefender-storage-security: an API key may not call GET /api/apikey nor enumerate users, so nothing is sent.
  if (!username || !password)
    throw ctx.http.fail(
      'unsupported',
      'MetaDefender Storage Security API keys cannot list API keys or users (the vendor forbids GET /api/apikey and the user list to API-key callers): add the username and password of a MetaDefender Storage Security user to this instance so KeyAtlas can open a login session',
    );
  const reply = await ctx.http.json({ method: 'POST', path: '/api/user/authenticate', body: { username, password }, schema: authenticateSchema });
  const token = reply.accessToken || reply.access_token || reply.token;
  if (!token)
    throw ctx.http.fail('format', 'POST /api/user/authenticate returned no session token (expected "accessToken", "access_token" or "token"): check that the URL is the MetaDefender Storage Security API');
  ctx.http.addSecret(token);
  return token;
}

/**
 * Enrichment only (docs/contract.md#metadefender-storage-security): the caller's roles, and their name for a console session. Listing users
 * needs rights the caller may lack and its shape varies, so any failure leaves the roles empty.
 */
async function findCaller(ctx: AdapterContext, headers: Record<string, string>, userId: string | undefined): Promise<User | undefined> {
  let list: unknown[];
  try {
    list = await ctx.http.json({ method: 'GET', path: USER_PAGE, headers, schema: userListSchema });
  } catch {
    return undefined;
  }
  // One odd entry must not hide the caller's own.
  const users = list.flatMap((u) => {
    const parsed = userSchema.safeParse(u);
    return parsed.success ? [parsed.data] : [];
  });
  const wanted = ctx.instance.username?.toLowerCase();
  return users.find(
    (u) =>
      (wanted !== undefined && userName(u).toLowerCase() === wanted) ||
      (userId !== undefined && [u.id, u.userId].some((id) => id !== null && id !== undefined && String(id) === userId)),
  );
}

function userName(user: User | undefined): string {
  return user?.username || user?.userName || '';
}

function userRoles(user: User): string[] {
  const roles = user.roles ?? (user.role ? [user.role] : []);
  return roles.map((r) => (typeof r === 'string' ? r : r.name));
}
