import { z } from 'zod';
import type { ResolvedInstance } from '../config';
import { claimsIn, claimedCount, looseName, type RawClaim } from '../ledger';
import type { RecordFields } from '../record';
import { VENDOR_LABELS, type CortexVendorId } from '../vendors';
import { readCortexUsers } from './cortex-users';
import { epochToInstant, settleDate, UNREADABLE_DATE, type DateReading } from './dates';
import { InstanceError } from './errors';
import { isJsonObject, isTextOrNone, keyIdText } from './fast-path';
import { nullListWhenCountedZero, readOffsetList } from './pager';
import type { AdapterContext, VendorAdapter } from './types';

const PATH = '/public_api/v1/api_keys/get_api_keys';
const NONCE_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** Keys asked for per page: the Cortex public APIs return at most 100 per call. */
const ASK = 100;
const UNFILTERED = `POST ${PATH}`;
const EXPIRED = `POST ${PATH} (expiration ≤ now)`;

// docs/contract.md#cortex-xsoar-xsiam-and-xdr: times are epoch milliseconds (seconds told apart by magnitude); for `expiration`,
// null, 0 or a negative value means never. A time that cannot be read costs its key that time only.
function readEpochTime(value: unknown): DateReading {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return epochToInstant(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return epochToInstant(Number(value));
  return UNREADABLE_DATE;
}
const epochTime = z.unknown().optional().transform(readEpochTime);

// docs/contract.md#cortex-xsoar-xsiam-and-xdr types `comment` as "object": strings are kept as they are, anything else as compact JSON.
const readComment = (value: unknown) => (value == null ? '' : typeof value === 'string' ? value : JSON.stringify(value));
const comment = z.unknown().optional().transform(readComment);

const keySchema = z.looseObject({
  id: z.union([z.number(), z.string().min(1)]).transform(String),
  creation_time: epochTime,
  user_name: z.string().nullish(),
  roles: z.array(z.string()).nullish(),
  comment,
  expiration: epochTime,
});
type Key = z.infer<typeof keySchema>;

export const replySchema = z.looseObject({
  reply: z.preprocess(
    // A bare array under `reply` is read as the data, so that variant costs nothing to accept.
    (reply) => (Array.isArray(reply) ? { data: reply } : nullListWhenCountedZero(['data'])(reply)),
    // docs/contract.md#cortex-xsoar-xsiam-and-xdr: the reference says `data`, its example says `DATA`; the counts (read apart, as
    // claims) come in both cases too.
    z
      .looseObject({ data: z.array(keySchema).optional(), DATA: z.array(keySchema).optional() })
      .refine((reply) => reply.data ?? reply.DATA, { message: 'is missing (expected the key list as "data" or "DATA")', path: ['data'] }),
  ),
});

type Reply = z.infer<typeof replySchema>;

/**
 * replySchema by hand for the common reply (RequestSpec.fast): `reply` an object whose `data` or
 * `DATA` (either or both) is an array of key objects with well-typed fields. Anything else, a
 * bare array or a null list included, is left to the schema.
 */
export function readReply(value: unknown): Reply | undefined {
  if (!isJsonObject(value) || !isJsonObject(value.reply)) return undefined;
  const reply: Record<string, unknown> = { ...value.reply };
  if (reply.data === undefined && reply.DATA === undefined) return undefined;
  for (const field of ['data', 'DATA'] as const) {
    const list = reply[field];
    if (list === undefined) continue;
    if (!Array.isArray(list)) return undefined;
    const keys: Key[] = new Array(list.length);
    for (let i = 0; i < list.length; i++) {
      const raw: unknown = list[i];
      if (!isJsonObject(raw)) return undefined;
      const id = keyIdText(raw.id);
      const { user_name, roles } = raw;
      if (id === undefined || !isTextOrNone(user_name) || !(roles === undefined || roles === null || (Array.isArray(roles) && roles.every((r) => typeof r === 'string')))) return undefined;
      keys[i] = { id, creation_time: readEpochTime(raw.creation_time), user_name, roles, comment: readComment(raw.comment), expiration: readEpochTime(raw.expiration) };
    }
    reply[field] = keys;
  }
  return { ...value, reply } as Reply;
}

const errorSchema = z.looseObject({
  reply: z.looseObject({ err_msg: z.string().min(1), err_extra: z.unknown() }),
});

/**
 * Cortex XSOAR 8, XSIAM and XDR answer the same public API (same headers, standard and advanced
 * keys, `api-<fqdn>` host, the same key list and replies): one adapter, named by product.
 */
export const cortexAdapter = <V extends CortexVendorId>(id: V) => ({
  id,
  errors: {
    message(body) {
      const parsed = errorSchema.safeParse(body);
      if (!parsed.success) return undefined;
      const { err_msg, err_extra } = parsed.data.reply;
      return typeof err_extra === 'string' && err_extra ? `${err_msg} (${err_extra})` : err_msg;
    },
    authHint:
      'Check the API key, its key id (sent as x-xdr-auth-id) and its security level (standard or advanced, as chosen when the key was made), and that the URL is the API host https://api-<tenant fqdn>, not the console address.',
  },
  async list(ctx) {
    const { apiKey, apiKeyId, securityLevel } = ctx.instance;
    // The public API takes API keys only; a console session cannot call it.
    if (!apiKey || !apiKeyId)
      throw ctx.http.fail('auth', 'needs an API key and its key id: create one under Settings > API Keys and add both to this instance');
    const headers = () => authHeaders(apiKey, apiKeyId, securityLevel);
    let counted = 0;
    const read = (name: string, requestData: Record<string, unknown>) =>
      readOffsetList(ctx, {
        name,
        ask: ASK,
        // The paging convention of the Cortex public APIs: positions [search_from, search_to).
        async fetch(start, count) {
          // The first request is the documented one, without paging fields.
          const paging = start === 0 ? {} : { search_from: start, search_to: start + count };
          const { body, headers: replyHeaders } = await askCortex(ctx, headers, { ...requestData, ...paging });
          const claims = claimsIn(Array.isArray(body.reply) ? undefined : body.reply, replyHeaders).map(
            (claim): RawClaim => (looseName(claim.source) === 'totalcount' ? { ...claim, superset: [UNFILTERED, EXPIRED] } : claim),
          );
          for (const claim of claims) if (claim.superset) counted = Math.max(counted, claimedCount(claim.value) ?? 0);
          const { data, DATA } = body.reply as { data?: Key[]; DATA?: Key[] };
          return { items: data ?? DATA ?? [], claims };
        },
        id: (key) => key.id,
        record: (key) => toRecord(ctx, key),
      });

    await read(UNFILTERED, {});
    // docs/contract.md#cortex-xsoar-xsiam-and-xdr: TOTAL_COUNT also counts expired keys, which the unfiltered list may leave out: they
    // are asked for (and read to their end) before a gap can be only a warning.
    if (counted > ctx.ledger.distinctKeys) await read(EXPIRED, { filters: [{ field: 'expiration', operator: 'lte', value: Date.now() }] });
  },
  // After the keys, and best effort: the tenant's users say whose each key is and if they are still here.
  owners(ctx) {
    const { apiKey, apiKeyId, securityLevel } = ctx.instance;
    return readCortexUsers(ctx, () => authHeaders(apiKey!, apiKeyId!, securityLevel));
  },
}) satisfies VendorAdapter;

export const cortexXsoar = cortexAdapter('cortex-xsoar');

async function askCortex(ctx: AdapterContext, headers: () => Promise<Record<string, string>>, requestData: Record<string, unknown>) {
  try {
    return await ctx.http.reply({ method: 'POST', path: PATH, headers, body: { request_data: requestData }, schema: replySchema, fast: readReply });
  } catch (error) {
    if (error instanceof InstanceError && error.status === 404) {
      const product = ctx.instance.vendor as CortexVendorId;
      // An XSOAR 6 server answers here too, and it has nothing that lists keys.
      const xsoar6 = product === 'cortex-xsoar' ? '; XSOAR 6 has no API that lists API keys, so KeyAtlas cannot read it' : '';
      throw ctx.http.fail('http', `POST ${PATH} was not found (HTTP 404): the URL must be the ${VENDOR_LABELS[product]} API host https://api-<tenant fqdn>${xsoar6}`, 404);
    }
    throw error;
  }
}

function toRecord(ctx: AdapterContext, key: Key): RecordFields {
  return {
    instance: ctx.instance.name,
    vendor: ctx.instance.vendor,
    owner: key.user_name ?? '',
    directory: '',
    key_id: key.id,
    // The API never returns key values.
    key: '',
    description: key.comment,
    roles: key.roles ?? [],
    created: settleDate(key.creation_time, ctx.ledger, 'creation_time', key.id),
    expires: settleDate(key.expiration, ctx.ledger, 'expiration', key.id),
  };
}

/**
 * docs/contract.md#cortex-xsoar-xsiam-and-xdr / docs/contract.md#cortex-xsoar-xsiam-and-xdr: a standard key is sent as is; an advanced key never leaves the machine, only
 * sha256(key + nonce + timestamp) does. WebCrypto, not node:crypto, because lib/ also runs in the browser.
 */
async function authHeaders(apiKey: string, apiKeyId: string, securityLevel: ResolvedInstance['securityLevel']): Promise<Record<string, string>> {
  if (securityLevel !== 'advanced') return { authorization: apiKey, 'x-xdr-auth-id': apiKeyId };
  const nonce = randomAlphanumerics(64);
  const timestamp = String(Date.now());
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(apiKey + nonce + timestamp));
  const hash = Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
  return { authorization: hash, 'x-xdr-auth-id': apiKeyId, 'x-xdr-nonce': nonce, 'x-xdr-timestamp': timestamp };
}

function randomAlphanumerics(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length))) {
      // Bytes past the last whole multiple of 62 are dropped, so every character is equally likely.
      if (byte < 248 && out.length < length) out += NONCE_CHARS[byte % NONCE_CHARS.length];
    }
  }
  return out;
}
