import { z } from 'zod';
import { isoFromMs } from '../utc-date';
import { readVendorDate, settleDate, vendorDate, type DateReading } from './dates';
import type { VendorAdapter } from './types';

const PATH = '/v4/apikey/';

const apiKeyInfoSchema = z.looseObject({
  nickname: z.string().nullable().optional(),
  // docs/contract.md#metadefender-cloud sends 0/1; other Cloud replies use booleans.
  paid_user: z.union([z.number(), z.boolean()]).nullable().optional(),
  created_at: vendorDate,
  expiration_date: z.unknown().optional().transform(noExpiry),
});

// docs/contract.md#metadefender-cloud: 1970-01-01 (epoch 0) marks a free key that never expires, whatever offset or precision
// it is written with: its local date and time decide, not the instant.
const EPOCH_SENTINEL = /^1970-01-01(?:[T ]00:00(?::00(?:\.0+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?$/i;

function noExpiry(value: unknown): DateReading {
  if (value === 0 || (typeof value === 'string' && (EPOCH_SENTINEL.test(value.trim()) || value.trim() === '0'))) return '';
  return readVendorDate(value);
}

// docs/contract.md#metadefender-cloud: `messages` is an array in the docs; live replies also send a single string.
const errorSchema = z.looseObject({
  error: z.looseObject({
    code: z.union([z.number(), z.string()]).optional(),
    messages: z.union([z.array(z.string()), z.string()]).optional(),
  }),
});

const AUTH_HINT =
  'Check the MetaDefender Cloud API key (My OPSWAT > API key). Repeated wrong keys get this address blocked for an hour, so KeyAtlas never retries a refused key.';

export const metadefenderCloud = {
  id: 'metadefender-cloud',
  errors: {
    message: (body) => {
      const error = errorSchema.safeParse(body).data?.error;
      if (!error) return undefined;
      // The vendor's own text for it is vague; this one tells the user to stop and wait.
      if (String(error.code) === '403002') return 'MetaDefender Cloud blocked this IP for an hour after failed keys (code 403002)';
      const text = [error.messages ?? []].flat().join('; ') || 'no message';
      return error.code === undefined ? text : `${text} (code ${error.code})`;
    },
    authHint: AUTH_HINT,
    // docs/contract.md#metadefender-cloud: an unknown key is a 404 (code 404008): a refused credential, not a broken URL.
    authStatuses: [401, 403, 404],
  },
  async list(ctx) {
    const apiKey = ctx.instance.apiKey;
    if (!apiKey) throw ctx.http.fail('auth', 'no API key is configured: MetaDefender Cloud describes only the key it is called with');
    const info = await ctx.http.json({ method: 'GET', path: PATH, headers: { apikey: apiKey }, schema: apiKeyInfoSchema });
    const expires = settleDate(info.expiration_date, ctx.ledger, 'expiration_date', '');
    ctx.emit({
      instance: ctx.instance.name,
      vendor: 'metadefender-cloud',
      owner: info.nickname ?? '',
      directory: '',
      key_id: '',
      key: apiKey,
      description: licence(info.paid_user, expires, ctx.now),
      roles: [],
      created: settleDate(info.created_at, ctx.ledger, 'created_at', ''),
      expires,
    });
  },
} satisfies VendorAdapter;

/**
 * docs/contract.md#metadefender-cloud: `expiration_date` ends the paid licence, not the key, which then keeps working at free
 * limits; the description says so, since the expiry column alone reads as a dead key.
 */
function licence(paidUser: number | boolean | null | undefined, expires: number | '', now: Date): string {
  if (!paidUser) return 'free';
  if (expires === '') return 'paid';
  const day = isoFromMs(expires).slice(0, 10);
  return expires <= now.getTime() ? `paid (licence ended ${day}; the key works at free limits)` : `paid (licence until ${day})`;
}
