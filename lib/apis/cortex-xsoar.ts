import { z } from 'zod';
import type { ResolvedInstance } from '../config';
import { countOf } from '../plural';
import type { RecordFields } from '../record';
import { InstanceError } from './errors';
import type { AdapterContext, VendorAdapter } from './types';

const PATH = '/public_api/v1/api_keys/get_api_keys';
const NONCE_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** Largest Date the ECMAScript time value allows. */
const MAX_EPOCH_MS = 8.64e15;

// seed 002: times are epoch milliseconds; for `expiration`, null, 0 or a negative value means never.
const epochMs = z
  .number()
  .nullish()
  .transform((value, ctx) => {
    if (value == null || value <= 0) return '';
    if (value <= MAX_EPOCH_MS) return new Date(value).toISOString();
    ctx.issues.push({ code: 'custom', input: value, message: `is not a time in epoch milliseconds (${value})` });
    return z.NEVER;
  });

// seed 002 types `comment` as "object": strings are kept as they are, anything else as compact JSON.
const comment = z.unknown().optional().transform((value) => (value == null ? '' : typeof value === 'string' ? value : JSON.stringify(value)));

const keySchema = z.looseObject({
  id: z.union([z.number(), z.string()]).transform(String),
  creation_time: epochMs,
  user_name: z.string().nullish(),
  roles: z.array(z.string()).nullish(),
  comment,
  expiration: epochMs,
});
type Key = z.infer<typeof keySchema>;

const count = z.number().int().nonnegative().nullish();

const replySchema = z.looseObject({
  reply: z.preprocess(
    // A bare array under `reply` is read as the data, so that variant costs nothing to accept.
    (reply) => (Array.isArray(reply) ? { data: reply } : reply),
    // seed 002: the reference says `data`, its example says `DATA`; the counts come in both cases too.
    z
      .looseObject({
        data: z.array(keySchema).optional(),
        DATA: z.array(keySchema).optional(),
        filter_count: count,
        FILTER_COUNT: count,
        total_count: count,
        TOTAL_COUNT: count,
      })
      .refine((reply) => reply.data ?? reply.DATA, { message: 'is missing (expected the key list as "data" or "DATA")', path: ['data'] })
      .transform((reply) => ({
        keys: reply.data ?? reply.DATA ?? [],
        filterCount: reply.filter_count ?? reply.FILTER_COUNT ?? undefined,
        totalCount: reply.total_count ?? reply.TOTAL_COUNT ?? undefined,
      })),
  ),
});
type Reply = z.infer<typeof replySchema>['reply'];

const errorSchema = z.looseObject({
  reply: z.looseObject({ err_msg: z.string().min(1), err_extra: z.unknown() }),
});

export const cortexXsoar = {
  id: 'cortex-xsoar',
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
    const seen = new Set<string>();
    const ask = async (requestData: Record<string, unknown>): Promise<{ reply: Reply; fresh: number }> => {
      const { reply } = await askXsoar(ctx, () => authHeaders(apiKey, apiKeyId, securityLevel), requestData);
      let fresh = 0;
      for (const key of reply.keys) {
        if (seen.has(key.id)) continue;
        seen.add(key.id);
        fresh++;
        ctx.emit(toRecord(ctx, key));
      }
      return { reply, fresh };
    };

    const { reply: first } = await ask({});
    const { filterCount, totalCount } = first;
    if (filterCount !== undefined) ctx.announce(filterCount);
    // The paging convention of the Cortex public APIs: positions [search_from, search_to). A server
    // that ignores them sends the first page again, which adds nothing: then the engine's count
    // check ends the instance `incomplete` instead of looping.
    const pageSize = first.keys.length;
    let position = pageSize;
    // A count that lies by millions must not cost millions of requests: the same brake as Vault's.
    let pagesLeft = filterCount === undefined || pageSize === 0 ? 0 : Math.ceil(filterCount / pageSize) * 2 + 10;
    while (filterCount !== undefined && pagesLeft-- > 0 && seen.size < filterCount) {
      const { reply, fresh } = await ask({ search_from: position, search_to: position + pageSize });
      if (fresh === 0) break;
      position += reply.keys.length;
      ctx.progress?.(seen.size, filterCount);
    }

    // seed 002: TOTAL_COUNT also counts expired keys, which the unfiltered list may leave out.
    if (totalCount === undefined || seen.size >= totalCount) return;
    await ask({ filters: [{ field: 'expiration', operator: 'lte', value: Date.now() }] });
    // Short of FILTER_COUNT too, the instance already ends `incomplete`: one message, not two.
    if (seen.size < totalCount && seen.size >= (filterCount ?? 0))
      ctx.warn(`read ${seen.size} of the ${countOf(totalCount, 'key')} the server counts (TOTAL_COUNT); the rest were not returned even when asked for expired keys`);
  },
} satisfies VendorAdapter;

async function askXsoar(ctx: AdapterContext, headers: () => Promise<Record<string, string>>, requestData: Record<string, unknown>) {
  try {
    return await ctx.http.json({ method: 'POST', path: PATH, headers, body: { request_data: requestData }, schema: replySchema });
  } catch (error) {
    if (error instanceof InstanceError && error.status === 404)
      throw ctx.http.fail(
        'http',
        `POST ${PATH} was not found (HTTP 404): the URL must be the Cortex XSOAR 8 API host https://api-<tenant fqdn>; XSOAR 6 has no API that lists API keys, so KeyAtlas cannot read it`,
        404,
      );
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
    created: key.creation_time,
    expires: key.expiration,
  };
}

/**
 * seed 002 / SPEC §1: a standard key is sent as is; an advanced key never leaves the machine, only
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
