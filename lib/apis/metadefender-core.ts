import { z } from 'zod';
import { looseName } from '../ledger';
import { InstanceError } from './errors';
import type { AdapterContext, VendorAdapter } from './types';

// Ids are numbers in current Core builds; older ones and some directory types send strings.
const idSchema = z.union([z.number(), z.string()]);

const loginSchema = z.looseObject({ session_id: z.string().min(1) });

const usersSchema = z.array(
  z.looseObject({
    // Some builds leave `id` out; the user is still a row, with an empty key_id.
    id: idSchema.nullable().optional(),
    name: z.string(),
    display_name: z.string().nullable().optional(),
    directory_id: idSchema.nullable().optional(),
    roles: z.array(idSchema).nullable().optional(),
  }),
);
type User = z.infer<typeof usersSchema>[number];

// docs/contract.md#metadefender-core: `api_key` in v5, `apikey` in older releases; other builds and proxies spell it `apiKey`,
// `ApiKey`, `API_KEY` or plain `key`. Matched by loose name, the documented spellings first.
const KEY_FIELDS = ['apikey', 'key'];

/**
 * Each field name's place in KEY_FIELDS (-1: not a key field), worked out once per name: a user list
 * repeats its names for every user. Bounded, so a server inventing names cannot grow it for good.
 */
const keyFieldRanks = new Map<string, number>();
const keyFieldRank = (name: string) => {
  let rank = keyFieldRanks.get(name);
  if (rank === undefined) {
    rank = KEY_FIELDS.indexOf(looseName(name));
    if (keyFieldRanks.size < 256) keyFieldRanks.set(name, rank);
  }
  return rank;
};

function keyFields(user: User): [string, unknown][] {
  const fields: [string, unknown][] = [];
  for (const name in user) if (keyFieldRank(name) >= 0) fields.push([name, user[name]]);
  return fields.length > 1 ? fields.sort(([a], [b]) => keyFieldRank(a) - keyFieldRank(b)) : fields;
}

const USERS = 'GET /admin/user';

const directoriesSchema = z.array(z.looseObject({ id: idSchema, name: z.string() }));

// Core builds differ: a bare list or one under `roles`/`data`; `display_name` or `displayName`.
const roleSchema = z.looseObject({
  id: idSchema,
  name: z.string().nullish(),
  display_name: z.string().nullish(),
  displayName: z.string().nullish(),
});
const rolesSchema = z.preprocess(
  (reply) => (Array.isArray(reply) || typeof reply !== 'object' || reply === null ? reply : ((reply as Record<string, unknown>).roles ?? (reply as Record<string, unknown>).data)),
  z.array(z.unknown()).transform((entries) => entries.flatMap((entry) => roleSchema.safeParse(entry).data ?? [])),
);

const errorSchema = z.looseObject({ err: z.string() });

export const metadefenderCore = {
  id: 'metadefender-core',
  errors: {
    message: (body) => errorSchema.safeParse(body).data?.err,
    authHint:
      'The API key (or user) must belong to a MetaDefender Core administrator with user-management rights (Settings > User Management); check it has not been revoked.',
  },
  async list(ctx) {
    const session = await openSession(ctx);
    try {
      const headers = { apikey: session.apikey };
      // One after the other on purpose: a refused key is then sent once, not twice in parallel.
      const users = await ctx.http.json({ method: 'GET', path: '/admin/user', headers, schema: usersSchema });
      const directoryNames = await readDirectoryNames(ctx, headers);
      const roleName = await readRoleNames(ctx, headers);
      // A key field under a name not recognised must not read as "no user has a key".
      if (users.length && !users.some((user) => keyFields(user).length))
        ctx.warn(`none of the ${users.length} users carries a key field (api_key, apikey, …): if users have keys, this Core version names the field differently`);
      const list = ctx.ledger.list(USERS);
      list.page(
        users.flatMap((user, index) => {
          const fields = keyFields(user);
          const odd = fields.find(([, value]) => value !== null && value !== undefined && typeof value !== 'string');
          if (odd)
            throw ctx.http.fail('format', `GET /admin/user returned an unexpected reply: field "[${index}].${odd[0]}" is not text; check that the URL is the metadefender-core API and that its version is supported`);
          const key = fields.map(([, value]) => value).find((value): value is string => typeof value === 'string' && value !== '');
          if (!key) return [];
          // docs/contract.md#metadefender-core: owner is DIRECTORY\user; an id no directory carries still names the user.
          const directoryId = user.directory_id === null || user.directory_id === undefined ? '' : String(user.directory_id);
          const directory = directoryNames.get(directoryId) ?? directoryId;
          return [
            {
              instance: ctx.instance.name,
              vendor: 'metadefender-core' as const,
              owner: directory ? `${directory}\\${user.name}` : user.name,
              directory,
              key_id: user.id === null || user.id === undefined ? '' : String(user.id),
              key,
              description: user.display_name ?? '',
              roles: (user.roles ?? []).map(roleName),
              created: '',
              expires: '',
            },
          ];
        }),
        [],
      );
      list.finish('whole-reply');
    } finally {
      await session.close();
    }
  },
} satisfies VendorAdapter;

/**
 * Directory names only dress up the owner: when they cannot be read, every key is still a row (its
 * owner `<directory_id>\user`) and the instance says what is missing (docs/contract.md#metadefender-core).
 */
async function readDirectoryNames(ctx: AdapterContext, headers: Record<string, string>): Promise<Map<string, string>> {
  try {
    const directories = await ctx.http.json({ method: 'GET', path: '/admin/userdirectory', headers, schema: directoriesSchema });
    return new Map(directories.map((d) => [String(d.id), d.name]));
  } catch (error) {
    if (!(error instanceof InstanceError)) throw error;
    ctx.warn(`directory names are unavailable (${error.message.slice(error.message.indexOf(': ') + 2)}); owners show the directory id instead`);
    return new Map();
  }
}

/**
 * Users carry role ids (`1`, `3`); the role list gives their display names (`Administrators`). When
 * it cannot be read, the ids stay and the instance says so.
 */
async function readRoleNames(ctx: AdapterContext, headers: Record<string, string>): Promise<(id: string | number) => string> {
  let names: Map<string, string>;
  try {
    const roles = await ctx.http.json({ method: 'GET', path: '/admin/role', headers, schema: rolesSchema });
    names = new Map(roles.flatMap((role) => {
      const name = role.display_name || role.displayName || role.name;
      return name ? [[String(role.id), name] as const] : [];
    }));
  } catch (error) {
    if (!(error instanceof InstanceError)) throw error;
    ctx.warn(`role names are unavailable (${error.message.slice(error.message.indexOf(': ') + 2)}); roles show their ids instead`);
    return String;
  }
  // A role the list does not name (deleted since, or a custom role without a name) keeps its id.
  return (id) => names.get(String(id)) ?? String(id);
}

/** The `apikey` header value: the configured key, a live console session, or a session opened with the password. */
async function openSession(ctx: AdapterContext): Promise<{ apikey: string; close: () => Promise<void> }> {
  const { apiKey, sessionToken, username, password } = ctx.instance;
  const nothingToClose = async () => {};
  if (apiKey) return { apikey: apiKey, close: nothingToClose };
  // The console's own session belongs to the user's browser tab: logging it out would sign them out.
  if (sessionToken) return { apikey: sessionToken, close: nothingToClose };
  if (!username || !password)
    throw ctx.http.fail('auth', 'no API key and no username and password are configured: add an administrator API key, or a username and password to log in');
  const { session_id } = await ctx.http
    .json({ method: 'POST', path: '/login', body: { user: username, password }, schema: loginSchema })
    .catch((error: unknown) => {
      // Some Core builds answer an unknown user or wrong password with 404: refused credentials, not a broken URL.
      if (error instanceof InstanceError && error.status === 404)
        throw ctx.http.fail('auth', 'POST /login was refused (HTTP 404: unknown user or wrong password): check the username and password', 404);
      throw error;
    });
  ctx.http.addSecret(session_id);
  return {
    apikey: session_id,
    close: async () => {
      // Best effort: the session expires on its own, and the keys already read must not be lost over it.
      await ctx.http.json({ method: 'POST', path: '/logout', headers: { apikey: session_id }, schema: z.unknown() }).catch(() => undefined);
    },
  };
}
