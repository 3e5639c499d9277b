import { createHash } from 'node:crypto';
import type { CortexVendorId } from '../../lib/vendors';
import { header, pathParts, startMock, type MockOptions, type MockReply, type MockServer } from './server';

/** Recognisable fake secrets (XSOAR keys are long alphanumerics; ids are small integers). */
export const XSOAR_API_KEY = 'XSOAR-STD-APIKEY-Q2hGt7LmP0xW4nVb9RsK1dYc6ZaE3uJf8oTiN5gHqBwXvMzCkDlS0pRy7eUaF2jO4hLtIbGn';
export const XSOAR_API_KEY_ID = '2841';
export const XSOAR_ADVANCED_KEY = 'XSOAR-ADV-APIKEY-m4Rz8KcW1qTe6YbN0vHs3LxJ9pGd5FuA2oZiC7kVnM1tQwE8rBy3XhUj6SaDf0gPlO5cIeTk';
export const XSOAR_ADVANCED_KEY_ID = '2842';

export interface XsoarCredential {
  id: string;
  key: string;
  securityLevel: 'standard' | 'advanced';
}

/** One entry of docs/contract.md#cortex-xsoar-xsiam-and-xdr's `reply.data`. */
export interface XsoarApiKey {
  id: number;
  creation_time: number;
  created_by: string;
  user_name: string;
  roles: string[];
  security_level: 'standard' | 'advanced';
  comment: string | null;
  expiration: number | null;
}

/** One entry of `POST /public_api/v1/rbac/get_users`'s `reply` (Cortex public API); every field may be missing. */
export interface CortexUser {
  user_email?: string;
  user_first_name?: string;
  user_last_name?: string;
  role_name?: string | null;
  /** epoch ms; null: never logged in */
  last_logged_in?: number | null;
  user_type?: string;
  groups?: string[];
}

export interface XsoarMockOptions extends MockOptions {
  /** Which Cortex product the mock answers as (its name in logs); they all speak the same API. Default XSOAR 8. */
  product?: CortexVendorId;
  /**
   * The tenant's users for `rbac/get_users` (default: xsoarDemoUsers); `forbidden` → 403 as for a
   * key whose role may not read users, `missing` → 404 as on a tenant without the API.
   */
  users?: CortexUser[] | 'forbidden' | 'missing';
  /** Keys the mock accepts; default the standard and the advanced demo key. */
  credentials?: XsoarCredential[];
  /** The data; default the demo keys. */
  apiKeys?: XsoarApiKey[];
  /** The clock the demo data is relative to. */
  now?: Date;
  /** false → HTTP 402, as a tenant without the license. */
  license?: boolean;
  /** docs/contract.md#cortex-xsoar-xsiam-and-xdr's example answers DATA / FILTER_COUNT / TOTAL_COUNT; false → lower case. Default true. */
  upperCase?: boolean;
  /** Announced FILTER_COUNT / TOTAL_COUNT instead of the real count (docs/contract.md#cortex-xsoar-xsiam-and-xdr: TOTAL_COUNT includes more). */
  announcedCount?: number;
  /** At most this many keys per reply, FILTER_COUNT still counting them all (a server that caps replies). */
  pageCap?: number;
  /** `search_from`/`search_to` in `request_data` are honoured (default) or ignored. */
  paging?: 'honour' | 'ignore';
  /**
   * Variants (test/vendor-variants.md): `expired-hidden` leaves expired keys out of the unfiltered
   * list while TOTAL_COUNT counts them (docs/contract.md#cortex-xsoar-xsiam-and-xdr), and returns them for an `expiration lte` filter;
   * `expired-lost` counts them in TOTAL_COUNT but never returns them; `xsoar6` has no such API (404).
   */
  variant?: 'expired-hidden' | 'expired-lost' | 'xsoar6';
}

interface RequestData {
  search_from?: unknown;
  search_to?: unknown;
  filters?: { field?: unknown; operator?: unknown; value?: unknown }[];
}

/** The keys one request asks for, as a server with the given options would select and page them. */
function selectKeys(apiKeys: XsoarApiKey[], request: RequestData, options: XsoarMockOptions): { keys: XsoarApiKey[]; filtered: number } {
  const now = Date.now();
  const expired = (k: XsoarApiKey) => k.expiration !== null && k.expiration > 0 && k.expiration <= now;
  const expiryFilter = Array.isArray(request.filters)
    ? request.filters.find((f) => f.field === 'expiration' && f.operator === 'lte' && typeof f.value === 'number')
    : undefined;
  let list = apiKeys;
  if (expiryFilter) list = apiKeys.filter((k) => k.expiration !== null && k.expiration > 0 && k.expiration <= (expiryFilter.value as number));
  if (options.variant === 'expired-lost' || (options.variant === 'expired-hidden' && !expiryFilter)) list = list.filter((k) => !expired(k));
  const honour = options.paging !== 'ignore';
  const from = honour && typeof request.search_from === 'number' ? request.search_from : 0;
  const to = honour && typeof request.search_to === 'number' ? request.search_to : list.length;
  return { keys: list.slice(from, Math.min(to, from + (options.pageCap ?? Infinity))), filtered: list.length };
}

export const XSOAR_CREDENTIALS: XsoarCredential[] = [
  { id: XSOAR_API_KEY_ID, key: XSOAR_API_KEY, securityLevel: 'standard' },
  { id: XSOAR_ADVANCED_KEY_ID, key: XSOAR_ADVANCED_KEY, securityLevel: 'advanced' },
];

const DAY = 86_400_000;
const NONCE = /^[A-Za-z0-9]{64}$/;
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** Seed 002's example keys, then keys covering every expiration form: null, 0, -1, past, future. */
export function xsoarDemoKeys(now: Date): XsoarApiKey[] {
  const at = (days: number) => now.getTime() + days * DAY;
  return [
    { id: 25, creation_time: 1709544947832, created_by: 'N/A', user_name: 'Public API - 21', roles: ['default'], security_level: 'standard', comment: null, expiration: 1710149747184 },
    { id: 24, creation_time: 1709544787367, created_by: 'N/A', user_name: 'Public API - 21', roles: ['default'], security_level: 'standard', comment: null, expiration: 1710149586852 },
    { id: 31, creation_time: at(-120), created_by: 'alice@example.com', user_name: 'alice@example.com', roles: ['Instance Administrator'], security_level: 'advanced', comment: 'SOAR playbooks – Zoë', expiration: null },
    { id: 40, creation_time: at(-60), created_by: 'alice@example.com', user_name: 'bob@example.com', roles: ['Analyst', 'Investigator'], security_level: 'standard', comment: '=cmd|" /C calc"!A0', expiration: 0 },
    { id: 41, creation_time: at(-30), created_by: 'svc-siem', user_name: 'svc-siem', roles: ['Account Admin', 'Public API Action'], security_level: 'advanced', comment: '<b>markup</b>', expiration: -1 },
    { id: 42, creation_time: at(-40), created_by: 'carol', user_name: 'carol', roles: ['Viewer'], security_level: 'standard', comment: '', expiration: at(-2) },
    { id: 43, creation_time: at(-5), created_by: 'carol', user_name: 'carol', roles: [], security_level: 'standard', comment: 'rotates weekly', expiration: at(6) },
    { id: Number(XSOAR_API_KEY_ID), creation_time: at(-300), created_by: 'alice@example.com', user_name: 'Public API - 2841', roles: ['Instance Administrator'], security_level: 'standard', comment: 'KeyAtlas inventory', expiration: at(25) },
    { id: Number(XSOAR_ADVANCED_KEY_ID), creation_time: at(-10), created_by: 'alice@example.com', user_name: 'Public API - 2842', roles: ['Instance Administrator'], security_level: 'advanced', comment: null, expiration: at(200) },
  ];
}

/**
 * The demo tenant's users: alice logs in, bob left long ago (no login for 200 days), carol never
 * logged in; `svc-siem` and the `Public API - N` names are not users, so their keys are orphaned.
 */
export function xsoarDemoUsers(now: Date): CortexUser[] {
  const at = (days: number) => now.getTime() + days * DAY;
  return [
    { user_email: 'alice@example.com', user_first_name: 'Alice', user_last_name: 'Admin', role_name: 'Instance Administrator', last_logged_in: at(-3), user_type: 'SSO', groups: ['soc'] },
    { user_email: 'bob@example.com', user_first_name: 'Bob', role_name: 'Analyst', last_logged_in: at(-200), user_type: 'SSO' },
    // A user known by a plain name, who never logged in; some tenants leave the role out.
    { user_email: 'carol', last_logged_in: null },
  ];
}

const unauthorized = (extra: string | null): MockReply => ({
  status: 401,
  json: { reply: { err_code: 401, err_msg: 'Public API request unauthorized', err_extra: extra } },
});

/** Cortex XSOAR 8's `POST /public_api/v1/api_keys/get_api_keys` (docs/contract.md#cortex-xsoar-xsiam-and-xdr), with standard and advanced key checks. */
export async function startXsoarMock(options: XsoarMockOptions = {}): Promise<MockServer> {
  const credentials = options.credentials ?? XSOAR_CREDENTIALS;
  const apiKeys = options.apiKeys ?? xsoarDemoKeys(options.now ?? new Date());
  const users = options.users ?? xsoarDemoUsers(options.now ?? new Date());
  return startMock(
    options.product ?? 'cortex-xsoar',
    (req): MockReply | undefined => {
      if (req.method !== 'POST' || options.variant === 'xsoar6') return undefined;
      const path = pathParts(req.path).join('/');
      if (path === 'public_api/v1/rbac/get_users') return usersReply(req, credentials, users);
      if (path !== 'public_api/v1/api_keys/get_api_keys') return undefined;
      const refusal = checkAuth(req, credentials);
      if (refusal) return refusal;
      if (options.license === false)
        return { status: 402, json: { reply: { err_code: 402, err_msg: 'Your tenant is not licensed for the public API', err_extra: null } } };
      let body: { request_data?: RequestData };
      try {
        body = JSON.parse(req.body) as typeof body;
      } catch {
        return { status: 400, json: { reply: { err_code: 400, err_msg: 'Invalid JSON in request body', err_extra: null } } };
      }
      if (typeof body?.request_data !== 'object' || body.request_data === null)
        return { status: 400, json: { reply: { err_code: 400, err_msg: 'request_data is required', err_extra: null } } };
      const { keys, filtered } = selectKeys(apiKeys, body.request_data, options);
      const filterCount = options.announcedCount ?? filtered;
      const totalCount = options.announcedCount ?? apiKeys.length;
      const reply =
        options.upperCase === false
          ? { data: keys, filter_count: filterCount, total_count: totalCount }
          : { DATA: keys, FILTER_COUNT: filterCount, TOTAL_COUNT: totalCount };
      return { json: { reply } };
    },
    options,
  );
}

function usersReply(req: Parameters<typeof header>[0], credentials: XsoarCredential[], users: NonNullable<XsoarMockOptions['users']>): MockReply {
  const refusal = checkAuth(req, credentials);
  if (refusal) return refusal;
  if (users === 'missing') return { status: 404, json: { reply: { err_code: 404, err_msg: 'Not found', err_extra: null } } };
  if (users === 'forbidden') return { status: 403, json: { reply: { err_code: 403, err_msg: 'Forbidden', err_extra: 'The API key role cannot view users' } } };
  return { json: { reply: users } };
}

function checkAuth(req: Parameters<typeof header>[0], credentials: XsoarCredential[]): MockReply | undefined {
  const authorization = header(req, 'authorization');
  const credential = credentials.find((c) => c.id === header(req, 'x-xdr-auth-id'));
  if (!authorization || !credential) return unauthorized('missing or unknown x-xdr-auth-id');
  if (credential.securityLevel === 'standard') return authorization === credential.key ? undefined : unauthorized(null);
  const nonce = header(req, 'x-xdr-nonce') ?? '';
  const timestamp = header(req, 'x-xdr-timestamp') ?? '';
  if (!NONCE.test(nonce)) return unauthorized('x-xdr-nonce must be 64 alphanumeric characters');
  if (!/^\d+$/.test(timestamp) || Math.abs(Date.now() - Number(timestamp)) > MAX_CLOCK_SKEW_MS)
    return unauthorized('x-xdr-timestamp is missing or outside the allowed window');
  const expected = createHash('sha256').update(credential.key + nonce + timestamp).digest('hex');
  return authorization === expected ? undefined : unauthorized(null);
}
