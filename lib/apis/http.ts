import type { z } from 'zod';
import { formatPath } from '../config';
import type { VendorId } from '../vendors';
import { InstanceError, jsonSyntaxReason, redact } from './errors';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface HttpOptions {
  /** Node: undici's fetch with the instance's CA; browser: globalThis.fetch. */
  fetch: FetchLike;
  timeoutMs: number;
  /** Tries in all for a retryable failure (docs/contract.md#faults-and-retries: at most 3). */
  maxTries: number;
  /** Ceiling for one wait, whatever Retry-After asks, so a hostile server cannot park an export. */
  maxRetryDelayMs: number;
  baseRetryDelayMs: number;
  sleep: (ms: number) => Promise<void>;
  /** What the user can do about a transport failure where they see it: appended to the neutral cause. */
  advice: TransportAdvice;
}

/**
 * Remedies differ by surface: a browser trusts a certificate once the console has been opened
 * and accepted, the CLI through the instance's "caFile", and only the CLI has --timeout.
 */
export type TransportAdvice = Partial<Record<'network' | 'tls' | 'timeout', string>>;

/** The extension's advice (the default, like the browser's fetch); the CLI passes its own. */
export const BROWSER_ADVICE: TransportAdvice = {
  network: 'in a browser, an untrusted certificate looks the same: open the console once in this browser and trust its certificate',
  tls: 'open the console once in this browser and trust its certificate',
};

export const defaultHttpOptions = (fetch: FetchLike = (input, init) => globalThis.fetch(input, init)): HttpOptions => ({
  fetch,
  timeoutMs: 30_000,
  maxTries: 3,
  maxRetryDelayMs: 30_000,
  baseRetryDelayMs: 500,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  advice: BROWSER_ADVICE,
});

export interface RequestSpec<T> {
  method: 'GET' | 'POST';
  /** Path below the instance's base URL, e.g. `/admin/user`. */
  path: string;
  /** A function is called for every try: XSOAR advanced auth needs a fresh nonce and timestamp each time. */
  headers?: Record<string, string> | (() => Promise<Record<string, string>>);
  body?: unknown;
  schema: z.ZodType<T>;
  /**
   * The common, well-formed reply read by hand, for lists of thousands of keys where zod costs
   * several times the JSON it checks: undefined for anything it does not vouch for, which the
   * schema then decides. It accepts only what the schema accepts and reads it as the schema does
   * (each adapter's property test compares the two on generated replies, malformed ones included).
   */
  fast?: (value: unknown) => T | undefined;
}

/** What one vendor says about its own error bodies and statuses. */
export interface VendorErrors {
  /** Extracts the vendor's error text from a parsed error body, if it has its shape. */
  message(body: unknown): string | undefined;
  /** Advice for an auth failure, e.g. which key or permission is needed. */
  authHint: string;
  /** Statuses that mean "credentials refused" (default 401, 403); never retried either way. */
  authStatuses?: readonly number[];
}

/**
 * One vendor's view of one instance: every call goes through here, so timeouts, retries, error
 * wording and secret redaction live in one place.
 */
export class InstanceHttp {
  /** Requests sent, retries included: lets tests prove that auth failures are never retried; the ledger reports it. */
  requestCount = 0;
  /** Told once when a reply labelled HTML held JSON (read anyway: complete or loud, not silent). */
  warn: (detail: string) => void = () => {};
  private warnedHtmlJson = false;

  constructor(
    readonly instance: string,
    readonly vendor: VendorId,
    readonly baseUrl: string,
    private readonly errors: VendorErrors,
    private readonly secrets: string[],
    private readonly options: HttpOptions,
  ) {}

  /** Secrets learnt during the run (session tokens) are redacted too. */
  addSecret(secret: string): void {
    this.secrets.push(secret);
  }

  fail(kind: ConstructorParameters<typeof InstanceError>[2], detail: string, status?: number): InstanceError {
    return new InstanceError(this.instance, this.vendor, kind, redact(detail, this.secrets), status);
  }

  async json<T>(spec: RequestSpec<T>): Promise<T> {
    return (await this.reply(spec)).body;
  }

  /** The parsed body with the reply's headers (paged lists read counts from `X-Total-Count` and `Link`). */
  async reply<T>(spec: RequestSpec<T>): Promise<{ body: T; headers: Headers }> {
    const what = `${spec.method} ${spec.path}`;
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(spec, what);
      if (!('retryAfterMs' in outcome)) return { body: this.parse(spec, what, outcome), headers: outcome.headers };
      if (attempt >= this.options.maxTries) throw outcome.error;
      const backoff = this.options.baseRetryDelayMs * 2 ** (attempt - 1);
      await this.options.sleep(Math.min(outcome.retryAfterMs ?? backoff, this.options.maxRetryDelayMs));
    }
  }

  private async attempt(
    spec: RequestSpec<unknown>,
    what: string,
  ): Promise<{ status: number; text: string; contentType: string; headers: Headers } | { error: InstanceError; retryAfterMs: number | undefined }> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...(typeof spec.headers === 'function' ? await spec.headers() : spec.headers),
    };
    if (spec.body !== undefined) headers['content-type'] = 'application/json';
    this.requestCount++;
    let response: Response;
    let text: string;
    // A timer cleared once the body is in, not AbortSignal.timeout: Node's keeps a weak reference,
    // a finalizer and a 30-second timer alive for every request of the run, and a read sends thousands.
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new DOMException(`no answer within ${this.options.timeoutMs} ms`, 'TimeoutError')), this.options.timeoutMs);
    try {
      response = await this.options.fetch(this.baseUrl + spec.path, {
        method: spec.method,
        headers,
        body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
        signal: timeout.signal,
        redirect: 'manual',
      });
      text = await response.text();
    } catch (error) {
      // The caller's fetch refused to send (the extension's call guard): final, never retried.
      if (error instanceof InstanceError) throw error;
      const transport = this.describeTransportError(error, what);
      // A certificate will not change on a retry, and a server that sat out a whole timeout is not
      // worth three: both end the instance at once.
      if (transport.kind === 'tls' || transport.kind === 'timeout') throw transport;
      return { error: transport, retryAfterMs: undefined };
    } finally {
      clearTimeout(timer);
    }
    const contentType = response.headers.get('content-type') ?? '';
    if (response.ok) return { status: response.status, text, contentType, headers: response.headers };
    const error = this.describeStatus(response, text, what);
    if ([429, 502, 503, 504].includes(response.status))
      return { error, retryAfterMs: parseRetryAfter(response.headers.get('retry-after')) };
    throw error;
  }

  private describeTransportError(error: unknown, what: string): InstanceError {
    const err = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
    if (err.name === 'TimeoutError' || err.name === 'AbortError')
      return this.fail('timeout', this.advised('timeout', `${what} got no answer within ${this.options.timeoutMs / 1000} s: check the URL and that the server is up`));
    const code = err.cause?.code ?? '';
    if (/SSL|EPROTO/i.test(code) && !/CERT/i.test(code))
      return this.fail('tls', `${what} could not start TLS with ${this.baseUrl} (${code}): the server does not speak HTTPS on this port; check http:// versus https:// in the URL`);
    if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/i.test(code))
      return this.fail('tls', this.advised('tls', `the server's TLS certificate is not trusted (${code})`));
    const reason = code || err.cause?.message || err.message || 'unknown error';
    return this.fail('network', this.advised('network', `${what} could not reach ${this.baseUrl} (${reason}): check the URL, the network and that the server is up`));
  }

  private advised(kind: keyof TransportAdvice, cause: string): string {
    const advice = this.options.advice[kind];
    return advice ? `${cause}; ${advice}` : cause;
  }

  private describeStatus(response: Response, text: string, what: string): InstanceError {
    const { status } = response;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const vendorText = body === undefined ? undefined : this.errors.message(body);
    const said = vendorText ? `: "${vendorText}"` : '';
    const error = this.describeStatusAs(response, what, said);
    // A 404 from a proxy, an HTML page or a missing route is not the vendor saying "none": callers
    // may read a 404 as "nothing here" only when the vendor answered it in JSON.
    error.jsonBody = body !== undefined && !/html/i.test(response.headers.get('content-type') ?? '');
    return error;
  }

  private describeStatusAs(response: Response, what: string, said: string): InstanceError {
    const { status } = response;
    if (response.type === 'opaqueredirect' || (status >= 300 && status < 400))
      return this.fail('http', `${what} was redirected (HTTP ${status}) to ${response.headers.get('location') ?? 'another page'}: the URL probably points at the web console or a login page, not the API`, status);
    if ((this.errors.authStatuses ?? [401, 403]).includes(status))
      return this.fail('auth', `${what} was refused (HTTP ${status})${said}. ${this.errors.authHint}`, status);
    if (status === 402)
      return this.fail('license', `${what} was refused (HTTP 402: payment required)${said}: the instance's license does not include this API; check its subscription`, status);
    if (status === 429)
      return this.fail('http', `${what} was rate-limited (HTTP 429)${said}: try again later`, status);
    return this.fail('http', `${what} failed with HTTP ${status}${said}`, status);
  }

  private parse<T>(spec: RequestSpec<T>, what: string, reply: { status: number; text: string; contentType: string }): T {
    const trimmed = reply.text.trimStart();
    // An empty success (204, or .NET's empty 200) means "nothing": the schema decides if that is fine.
    if (reply.status === 204 || trimmed === '') return this.validate(spec, what, null);
    if (trimmed.startsWith('<'))
      throw this.fail('format', `${what} returned an HTML page instead of JSON (a login page or proxy?): check that the URL is the API address and that the credentials are valid`);
    if (/html/i.test(reply.contentType) && !this.warnedHtmlJson) {
      // Some gateways label every reply text/html: the body decides, and the user hears of it once.
      this.warnedHtmlJson = true;
      this.warn(`${what} answered JSON labelled "${reply.contentType.slice(0, 60)}"; it was read as JSON (a proxy or gateway may be rewriting the replies)`);
    }
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (error) {
      throw this.fail('format', `${what} returned malformed JSON (${jsonSyntaxReason(error)}): the server or a proxy in between is misbehaving; check that the URL is the ${this.vendor} API address`);
    }
    return this.validate(spec, what, value);
  }

  private validate<T>(spec: RequestSpec<T>, what: string, value: unknown): T {
    const read = spec.fast?.(value);
    if (read !== undefined) return read;
    const result = spec.schema.safeParse(value);
    if (result.success) return result.data;
    const issue = result.error.issues[0]!;
    const field = formatPath(issue.path) || '(the whole reply)';
    throw this.fail('format', `${what} returned an unexpected reply: field "${field}" ${issue.message}; check that the URL is the ${this.vendor} API and that its version is supported`);
  }
}

/** Retry-After is seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
