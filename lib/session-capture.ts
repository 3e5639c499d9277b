import type { ResolvedInstance } from './config';
import { normalizeOrigin } from './origins';

/**
 * Which request of a vendor web console carries which session credential (docs/contract.md#console-sessions), decided from
 * what `webRequest.onSendHeaders` reports: URL, method, request headers and who started it.
 * Pure: the background feeds it browser events and keeps what it returns (ext/background/sessions.ts).
 *
 * Vendor facts this relies on (docs/extension.md#console-sessions cites the vendor pages):
 * - MetaDefender Core: `POST /login` returns a `session_id` that is sent as the `apikey` header,
 *   and the web UI itself works through the same REST API (docs/contract.md#metadefender-core for the list calls).
 * - MetaDefender Storage Security: `/api/user/authenticate` returns a JWT sent as
 *   `Authorization: Bearer` on every `/api/…` call (docs/contract.md#metadefender-storage-security: only such a session may list keys).
 * - MetaDefender Vault: `GET /vault_rest/authenticate` returns a token sent as
 *   `Authorization: Bearer` on `/vault_rest/…`; docs/contract.md#metadefender-vault says the web UI lists keys that way.
 * Cortex XSOAR is absent on purpose: its console session cannot call the public API (docs/contract.md#cortex-xsoar-xsiam-and-xdr).
 */
export const SESSION_VENDORS = ['metadefender-core', 'metadefender-storage', 'metadefender-vault'] as const;
export type SessionVendor = (typeof SESSION_VENDORS)[number];

/** The fields of a `webRequest` event this decision needs (Chrome and Firefox spell the starter differently). */
export interface ObservedRequest {
  url: string;
  method: string;
  /** -1 for requests outside any tab: the extension's own background calls among them. */
  tabId: number;
  requestHeaders?: { name: string; value?: string }[];
  /** Chrome: the origin that started the request. */
  initiator?: string;
  /** Firefox: the URL of the document or script that started the request. */
  originUrl?: string;
}

export interface CapturedSession {
  /** The console origin, which is also its API origin for every session vendor. */
  origin: string;
  vendor: SessionVendor;
  credential: string;
}

const BEARER = /^Bearer\s+(\S+)$/i;
// Session ids, JWTs and Vault tokens are long printable ASCII; anything else is not a credential we know.
const CREDENTIAL = /^[\x21-\x7e]{8,8192}$/;
// docs/contract.md#session-capture: only each vendor's own API paths carry its session; a credential a page script sends to
// `/` or to some other app's `/api/items` is nobody's console session.
const API_PATHS: Record<SessionVendor, RegExp> = {
  'metadefender-core': /^\/(?:admin|user|stat|version|license|file|hash|engine|status|scanrule|workflow)(?:\/|$)/i,
  'metadefender-storage': /^\/api\/(?:user|apikey|account|storage|scan|workflow|license|version|audit|config)(?:\/|$)/i,
  'metadefender-vault': /^\/vault_rest\//i,
};

/**
 * The session credential this request carries, or undefined. Only a console page talking to its
 * own origin counts: requests outside a tab (the extension's own calls), started by an extension
 * page, or sent cross-origin (another site planting a credential) are ignored.
 */
export function captureSession(request: ObservedRequest, extensionUrl: string): CapturedSession | undefined {
  if (request.tabId < 0 || request.method.toUpperCase() === 'OPTIONS') return undefined;
  const origin = normalizeOrigin(request.url);
  const starter = request.initiator ?? request.originUrl;
  if (!origin || !starter || starter.startsWith(extensionUrl) || normalizeOrigin(starter) !== origin) return undefined;
  const header = (name: string) => request.requestHeaders?.find((h) => h.name.toLowerCase() === name)?.value?.trim();
  const path = new URL(request.url).pathname;
  const bearer = BEARER.exec(header('authorization') ?? '')?.[1];
  const found = (vendor: SessionVendor, credential: string | undefined): CapturedSession | undefined =>
    credential && CREDENTIAL.test(credential) ? { origin, vendor, credential } : undefined;
  if (API_PATHS['metadefender-vault'].test(path)) return found('metadefender-vault', bearer);
  if (API_PATHS['metadefender-storage'].test(path)) return found('metadefender-storage', bearer);
  if (API_PATHS['metadefender-core'].test(path)) return found('metadefender-core', header('apikey'));
  return undefined;
}

/** A session is kept only after a JSON 2xx reply: a login page, a redirect or an error proves nothing. */
export function isJsonSuccess(status: number, responseHeaders: readonly { name: string; value?: string }[] | undefined): boolean {
  const type = responseHeaders?.find((h) => h.name.toLowerCase() === 'content-type')?.value ?? '';
  return status >= 200 && status < 300 && /^application\/(?:[\w.+-]*\+)?json\b/i.test(type.trim());
}

/**
 * A host pattern the user granted for this one host — not a wildcard host, scheme or all-sites
 * grant, which would make every web app on every host a place to capture from.
 */
export function isSingleHostPattern(pattern: string): boolean {
  return /^https?:\/\/[^*/]+\/\*$/.test(pattern);
}

/** 401 and 403 mean the credential is gone or refused: the session is dropped, never retried. */
export function isRefusal(status: number): boolean {
  return status === 401 || status === 403;
}

/**
 * The instance a live session exports on its own, with zero setup: named after the console host,
 * on the console origin, with nothing but the session credential. Never stored.
 */
export function sessionInstance(origin: string, vendor: SessionVendor, sessionToken: string): ResolvedInstance {
  return { name: new URL(origin).host, vendor, url: origin, sessionToken };
}
