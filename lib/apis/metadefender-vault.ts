import { z } from 'zod';
import { claimsIn, looseName } from '../ledger';
import type { RecordFields } from '../record';
import { settleDate, vendorDate } from './dates';
import { nullListWhenCountedZero, readOffsetList } from './pager';
import type { AdapterContext, VendorAdapter } from './types';

/** Entries asked for per page; seed 003: servers cap `count`, so a reply may hold fewer. */
const ASK = 100;
const LIST = 'GET /vault_rest/tokens';

// seed 003: "Possible values: Guest, User, Administrator", while its own example says "guest" and "user".
const ROLES = new Map(['Guest', 'User', 'Administrator'].map((role) => [role.toLowerCase(), role]));

/**
 * MetaDefender MFT, Vault's successor, answers in PascalCase (`Items`, `FilterCount`, `TokenId`):
 * field names are matched ignoring case and underscores, then read by seed 003's names.
 */
function seedFieldNames(fields: readonly string[]) {
  const byLoose = new Map(fields.map((field) => [looseName(field), field]));
  return (value: unknown) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    return Object.fromEntries(Object.entries(value).map(([name, field]) => [byLoose.get(looseName(name)) ?? name, field]));
  };
}

const tokenSchema = z.preprocess(
  seedFieldNames(['token_id', 'token', 'description', 'status', 'created', 'expires', 'role']),
  z.looseObject({
    token_id: z.union([z.number(), z.string().min(1)]).transform(String),
    token: z.string().nullish(),
    description: z.string().nullish(),
    status: z.string().nullish(),
    created: vendorDate,
    expires: vendorDate,
    role: z.string().nullish(),
  }),
);
type Token = z.infer<typeof tokenSchema>;

// A page without its list is a format error, never an empty success; the counts are read apart,
// as claims (lib/ledger.ts), whatever their spelling or type.
const pageSchema = z.preprocess(
  (page) => seedFieldNames(['items'])(nullListWhenCountedZero(['items'])(page)),
  z.looseObject({
    items: z.array(tokenSchema, { error: (issue) => (issue.input == null ? 'is missing (expected the token list as "items")' : undefined) }),
  }),
);

export const metadefenderVault = {
  id: 'metadefender-vault',
  errors: {
    // seed 003 does not document its error body: accept the shapes OPSWAT products use.
    message(body) {
      for (const field of ['err', 'error', 'message']) {
        const value = (body as Record<string, unknown> | null)?.[field];
        if (typeof value === 'string' && value) return value;
      }
      return undefined;
    },
    authHint: 'Check that the key is a valid MetaDefender Vault API key and that its user is allowed to list API keys (vault_rest/tokens).',
  },
  async list(ctx) {
    const credential = ctx.instance.apiKey ?? ctx.instance.sessionToken;
    if (!credential) throw ctx.http.fail('auth', 'no API key is configured: add the Vault API key to this instance');
    const authorization = `Bearer ${credential}`;
    // seed 003 pages by start/count; the generic pager reads to an empty page and checks the counts.
    await readOffsetList(ctx, {
      name: LIST,
      ask: ASK,
      async fetch(start, count) {
        const { body, headers } = await ctx.http.reply({ method: 'GET', path: `/vault_rest/tokens/${start}/${count}`, headers: { authorization }, schema: pageSchema });
        return { items: body.items, claims: claimsIn(body, headers) };
      },
      id: (token) => token.token_id,
      record: (token) => toRecord(ctx, token),
    });
  },
} satisfies VendorAdapter;

function toRecord(ctx: AdapterContext, token: Token): RecordFields {
  return {
    instance: ctx.instance.name,
    vendor: ctx.instance.vendor,
    owner: ctx.instance.username ?? '',
    directory: '',
    key_id: token.token_id,
    key: token.token ?? '',
    description: token.description ?? '',
    roles: token.role ? [ROLES.get(token.role.toLowerCase()) ?? token.role] : [],
    created: settleDate(token.created, ctx.ledger, 'created', token.token_id),
    expires: settleDate(token.expires, ctx.ledger, 'expires', token.token_id),
    vendorSaysExpired: token.status?.toLowerCase() === 'expired',
  };
}
