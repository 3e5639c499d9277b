import { z } from 'zod';
import type { ResolvedInstance } from '../config';
import type { VendorAdapter } from './types';

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

const keySchema = z.looseObject({
  id: z.union([z.number(), z.string()]).transform(String),
  creation_time: epochMs,
  user_name: z.string().nullish(),
  roles: z.array(z.string()).nullish(),
  comment: z.string().nullish(),
  expiration: epochMs,
});

const replySchema = z.looseObject({
  reply: z.preprocess(
    // A bare array under `reply` is read as the data, so that variant costs nothing to accept.
    (reply) => (Array.isArray(reply) ? { data: reply } : reply),
    // seed 002: the reference says `data`, its example says `DATA`.
    z
      .looseObject({ data: z.array(keySchema).optional(), DATA: z.array(keySchema).optional() })
      .refine((reply) => reply.data ?? reply.DATA, { message: 'is missing (expected the key list as "data" or "DATA")', path: ['data'] }),
  ),
});

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
    const reply = await ctx.http.json({
      method: 'POST',
      path: PATH,
      headers: () => authHeaders(apiKey, apiKeyId, securityLevel),
      body: { request_data: {} },
      schema: replySchema,
    });
    // seed 002: total_count and filter_count may exceed the list (expired keys are counted); there is no paging to chase.
    for (const key of reply.reply.data ?? reply.reply.DATA ?? [])
      ctx.emit({
        instance: ctx.instance.name,
        vendor: ctx.instance.vendor,
        owner: key.user_name ?? '',
        directory: '',
        key_id: key.id,
        // The API never returns key values.
        key: '',
        description: key.comment ?? '',
        roles: key.roles ?? [],
        created: key.creation_time,
        expires: key.expiration,
      });
  },
} satisfies VendorAdapter;

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
