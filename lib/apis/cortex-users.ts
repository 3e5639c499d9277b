import { z } from 'zod';
import { OwnerDirectory } from '../owners';
import { InstanceError } from './errors';
import type { AdapterContext } from './types';

const PATH = '/public_api/v1/rbac/get_users';

const text = z.unknown().optional().transform((value) => (typeof value === 'string' ? value.trim() : ''));

// Epoch milliseconds (seconds from a server that sends them); anything else is "no login known".
const lastLogin = z.unknown().optional().transform((value) => {
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) return '';
  const ms = n < 1e11 ? n * 1000 : n;
  return ms <= 8.64e15 ? new Date(ms).toISOString() : '';
});

// Every field is optional: a user is kept as long as something names them.
const userSchema = z.looseObject({
  user_email: text,
  user_name: text,
  username: text,
  email: text,
  role_name: text,
  last_logged_in: lastLogin,
});

const entry = z.unknown().transform((value) => {
  const parsed = userSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
});

// The documented reply is `{"reply": [users]}`; a list inside an object (`data`, `DATA`, `users`) is read too.
const replySchema = z.looseObject({
  reply: z.preprocess((reply) => {
    if (Array.isArray(reply)) return reply;
    if (typeof reply !== 'object' || reply === null) return reply;
    const inner = reply as Record<string, unknown>;
    return inner.data ?? inner.DATA ?? inner.users ?? inner.USERS ?? reply;
  }, z.array(entry)),
});

/**
 * `POST /public_api/v1/rbac/get_users` of a Cortex tenant. Whatever goes wrong (no permission, an
 * older tenant without the API, a reply not understood), the keys stay as read and the instance
 * gets a warning; owner states stay empty rather than guess that everyone left.
 */
export async function readCortexUsers(ctx: AdapterContext, headers: () => Promise<Record<string, string>>): Promise<OwnerDirectory | undefined> {
  let users: z.infer<typeof replySchema>['reply'];
  try {
    ({ reply: users } = await ctx.http.json({ method: 'POST', path: PATH, headers, body: { request_data: {} }, schema: replySchema }));
  } catch (error) {
    if (!(error instanceof InstanceError)) throw error;
    const why = error.status === 403 || error.status === 401 ? 'the API key may not read users (it needs a role that can view users)' : error.message.slice(error.message.indexOf(': ') + 2);
    ctx.warn(`owner details are unavailable (POST ${PATH}: ${why}); owners are shown without their state or last login`);
    return undefined;
  }
  const readable = users.flatMap((user) => {
    const email = user ? user.user_email || user.email : '';
    const names = user ? [email, user.user_name, user.username].filter(Boolean) : [];
    return user && names.length ? [{ names, user: { email, role: user.role_name, lastLogin: user.last_logged_in } }] : [];
  });
  // A tenant without a single user is not a tenant whose every key is orphaned: the list was not understood.
  if (!readable.length) {
    ctx.warn(`owner details are unavailable (POST ${PATH} listed no user with an email or name); owners are shown without their state or last login`);
    return undefined;
  }
  const left = users.length - readable.length;
  if (left) ctx.warn(`owner details: ${left} of the ${users.length} users listed had no email or name; keys of owners not found are not marked orphaned`);
  const directory = new OwnerDirectory(left === 0);
  for (const { names, user } of readable) directory.add(names, user);
  return directory;
}
