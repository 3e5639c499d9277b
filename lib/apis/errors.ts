import type { VendorId } from '../vendors';

export type FailureKind =
  | 'auth' // 401/403 and vendor auth errors: never retried
  | 'license' // XSOAR 402
  | 'http' // any other HTTP status
  | 'network' // connection refused/reset, DNS
  | 'tls' // certificate not trusted
  | 'timeout'
  | 'format' // malformed JSON, HTML instead of JSON, wrong field type
  | 'paging' // a server that lies about counts or repeats pages
  | 'incomplete' // the server announced more keys than it delivered for the query sent (docs/contract.md#outcomes)
  | 'unsupported'; // the configured credentials cannot do this (MDSS API key)

/**
 * Every failure of one instance. The message names the instance and vendor, says what happened and
 * what to do; it is built only from redacted text, so it is safe to log and to show in the popup.
 */
export class InstanceError extends Error {
  /** For an HTTP status: whether the body was the vendor's JSON (not an HTML page, a proxy's text or empty). */
  jsonBody?: boolean;

  constructor(
    readonly instance: string,
    readonly vendor: VendorId,
    readonly kind: FailureKind,
    detail: string,
    readonly status?: number,
  ) {
    super(`${instance} (${vendor}): ${detail}`);
    this.name = 'InstanceError';
  }
}

/**
 * Replaces every occurrence of a secret with a placeholder: as it is, URL-encoded, and as it sits
 * inside a JSON string (a server quoting back the request body it got: `"pa\"ss"`), also with
 * non-ASCII characters as `\u00e9` escapes, in either case of hex digits (Python, .NET).
 */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    // Very short values would blank out ordinary words; no real key is this short.
    if (!secret || secret.length < 4) continue;
    // Longest first: a shorter form inside a longer one must not leave the rest of it behind.
    const forms = [...new Set([secret, encodeURIComponent(secret), ...jsonForms(secret)])].sort((a, b) => b.length - a.length);
    for (const form of forms) out = out.split(form).join('[redacted]');
  }
  return out;
}

function jsonForms(secret: string): string[] {
  const inner = JSON.stringify(secret).slice(1, -1);
  const ascii = inner.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return [inner, ascii, ascii.replace(/\\u[0-9a-f]{4}/g, (u) => `\\u${u.slice(2).toUpperCase()}`)];
}

/**
 * A JSON.parse failure without the slice of text V8 quotes ('Unexpected token 'V', "[1, VAULT-TOK"...
 * is not valid JSON'): that text may hold a key from a reply or a secret from a config file.
 */
export function jsonSyntaxReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/(?:^|, )(?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, '') || 'not JSON';
}
