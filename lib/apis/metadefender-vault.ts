import { z } from 'zod';
import { claimsIn, looseName } from '../ledger';
import type { RecordFields } from '../record';
import { readVendorDate, settleDate, vendorDate } from './dates';
import { isJsonObject, isTextOrNone, keyIdText } from './fast-path';
import { nullListWhenCountedZero, readOffsetList } from './pager';
import type { AdapterContext, VendorAdapter } from './types';

/** Entries asked for per page; docs/contract.md#metadefender-vault: servers cap `count`, so a reply may hold fewer. */
const ASK = 100;
const LIST = 'GET /vault_rest/tokens';

// docs/contract.md#metadefender-vault: "Possible values: Guest, User, Administrator", while its own example says "guest" and "user".
const ROLES = new Map(['Guest', 'User', 'Administrator'].map((role) => [role.toLowerCase(), role]));

/**
 * MetaDefender MFT, Vault's successor, answers in PascalCase (`Items`, `FilterCount`, `TokenId`):
 * field names are matched ignoring case and underscores, then read by docs/contract.md#metadefender-vault's names.
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
export const pageSchema = z.preprocess(
  (page) => seedFieldNames(['items'])(nullListWhenCountedZero(['items'])(page)),
  z.looseObject({
    items: z.array(tokenSchema, { error: (issue) => (issue.input == null ? 'is missing (expected the token list as "items")' : undefined) }),
  }),
);

type Page = z.infer<typeof pageSchema>;

const TOKEN_FIELDS = new Map(['token_id', 'token', 'description', 'status', 'created', 'expires', 'role'].map((field) => [looseName(field), field]));

/**
 * pageSchema by hand for the common reply (RequestSpec.fast): a page object whose list is an
 * array of token objects with well-typed fields, in docs/contract.md#metadefender-vault's or MFT's spelling. Anything else,
 * a null list included, is left to the schema.
 */
export function readPage(value: unknown): Page | undefined {
  if (!isJsonObject(value)) return undefined;
  const page: Record<string, unknown> = {};
  // As seedFieldNames: the list under any spelling of `items`, the last one if several; the rest as sent.
  for (const name in value) {
    // Assigned, `__proto__` would set the prototype where the schema keeps a field: the schema reads it.
    if (name === '__proto__') return undefined;
    page[looseName(name) === 'items' ? 'items' : name] = value[name];
  }
  const list = page.items;
  if (!Array.isArray(list)) return undefined;
  // Field spellings met on this page, read once each (a page repeats them a hundred times).
  const spelled = new Map<string, string | undefined>();
  const items: Token[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const raw: unknown = list[i];
    if (!isJsonObject(raw)) return undefined;
    // Each field under any spelling, the last one if several, as seedFieldNames leaves them; no
    // object in between, which 100,000 tokens would each leave to the collector.
    let tokenIdValue: unknown, token: unknown, description: unknown, status: unknown, created: unknown, expires: unknown, role: unknown;
    for (const name in raw) {
      let field = spelled.get(name);
      if (field === undefined && !spelled.has(name)) spelled.set(name, (field = TOKEN_FIELDS.get(looseName(name))));
      const value = raw[name];
      switch (field) {
        case 'token_id': tokenIdValue = value; break;
        case 'token': token = value; break;
        case 'description': description = value; break;
        case 'status': status = value; break;
        case 'created': created = value; break;
        case 'expires': expires = value; break;
        case 'role': role = value; break;
      }
    }
    const tokenId = keyIdText(tokenIdValue);
    if (tokenId === undefined || !isTextOrNone(token) || !isTextOrNone(description) || !isTextOrNone(status) || !isTextOrNone(role)) return undefined;
    items[i] = { token_id: tokenId, token, description, status, created: readVendorDate(created), expires: readVendorDate(expires), role };
  }
  page.items = items;
  return page as Page;
}

export const metadefenderVault = {
  id: 'metadefender-vault',
  errors: {
    // docs/contract.md#metadefender-vault does not document its error body: accept the shapes OPSWAT products use.
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
    // docs/contract.md#metadefender-vault pages by start/count; the generic pager reads to an empty page and checks the counts.
    await readOffsetList(ctx, {
      name: LIST,
      ask: ASK,
      async fetch(start, count) {
        const { body, headers } = await ctx.http.reply({ method: 'GET', path: `/vault_rest/tokens/${start}/${count}`, headers: { authorization }, schema: pageSchema, fast: readPage });
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
