import { generate } from 'selfsigned';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startMock, type MockServer } from '../../test/mock-vendors/server';
import { InstanceError } from './errors';
import { BROWSER_ADVICE, defaultHttpOptions, InstanceHttp, parseRetryAfter, type HttpOptions, type VendorErrors } from './http';

const SECRET = 'LAB-APIKEY-3c1f9e0b7a24d6e8';
const ERRORS: VendorErrors = {
  message: (body) => {
    const err = (body as { err?: unknown } | null)?.err;
    return typeof err === 'string' ? err : undefined;
  },
  authHint: 'Use a key whose user may list keys.',
};
const itemsSchema = z.looseObject({ items: z.array(z.looseObject({ token_id: z.number(), token: z.string() })) });
const ITEMS = { items: [{ token_id: 1, token: 'A'.repeat(32) }] };

let server: MockServer;
let reply: () => { status?: number; headers?: Record<string, string>; json?: unknown; text?: string };

beforeAll(async () => {
  server = await startMock('http-lab', () => reply());
});
afterAll(() => server.close());
afterEach(() => {
  server.clearFaults();
  server.resetStats();
  reply = () => ({ json: ITEMS });
});
reply = () => ({ json: ITEMS });

/** A client whose waits are recorded, not slept, so backoff is observable without timing. */
function client(url = server.url, options: Partial<HttpOptions> = {}, secrets = [SECRET]) {
  const waits: number[] = [];
  const http = new InstanceHttp('lab', 'metadefender-vault', url, ERRORS, [...secrets], {
    ...defaultHttpOptions(),
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...options,
  });
  return { http, waits };
}

const get = (http: InstanceHttp) => http.json({ method: 'GET', path: '/vault_rest/tokens/0/100', schema: itemsSchema });

async function failure(promise: Promise<unknown>): Promise<InstanceError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(InstanceError);
  return outcome as InstanceError;
}

describe('a good reply', () => {
  it('is validated and returned; a body is sent as JSON', async () => {
    const { http } = client();
    const value = await http.json({ method: 'POST', path: '/x', body: { request_data: {} }, headers: { 'x-h': '1' }, schema: itemsSchema });
    expect(value).toEqual(ITEMS);
    const [request] = server.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/x', body: '{"request_data":{}}' });
    expect(request!.headers).toMatchObject({ accept: 'application/json', 'content-type': 'application/json', 'x-h': '1' });
  });
});

describe('retries', () => {
  it.each([429, 502, 503, 504])('retries HTTP %i with growing backoff and then succeeds', async (status) => {
    server.fault({ kind: 'status', status }, { times: 2 });
    const { http, waits } = client();
    await expect(get(http)).resolves.toEqual(ITEMS);
    expect(server.requests).toHaveLength(3);
    expect(http.requestCount).toBe(3);
    expect(waits).toEqual([500, 1000]);
  });

  it('gives up after 3 tries in all', async () => {
    server.fault({ kind: 'status', status: 503, json: { err: 'maintenance' } });
    const { http, waits } = client();
    const error = await failure(get(http));
    expect(error.kind).toBe('http');
    expect(error.status).toBe(503);
    expect(error.message).toContain('"maintenance"');
    expect(server.requests).toHaveLength(3);
    expect(waits).toHaveLength(2);
  });

  it('says a rate limit is a rate limit once the tries are spent', async () => {
    server.fault({ kind: 'status', status: 429 });
    const error = await failure(get(client().http));
    expect(error.message).toMatch(/rate-limited \(HTTP 429\).*try again later/);
    expect(server.requests).toHaveLength(3);
  });

  it('retries a reset connection', async () => {
    server.fault({ kind: 'reset' }, { times: 2 });
    const { http } = client();
    await expect(get(http)).resolves.toEqual(ITEMS);
    expect(http.requestCount).toBe(3);
  });

  it('retries a refused connection, then names it a network failure', async () => {
    const gone = await startMock('gone', () => undefined);
    const url = gone.url;
    await gone.close();
    const { http, waits } = client(url);
    const error = await failure(get(http));
    expect(error.kind).toBe('network');
    expect(error.message).toMatch(/^lab \(metadefender-vault\): GET \/vault_rest\/tokens\/0\/100 could not reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
    expect(http.requestCount).toBe(3);
    expect(waits).toHaveLength(2);
    // The cause is neutral; the browser's remedy is the default advice, and a surface brings its own.
    expect(error.message).toMatch(/: check the URL, the network and that the server is up; in a browser, an untrusted certificate looks the same: open the console once in this browser and trust its certificate$/);
    expect(BROWSER_ADVICE.network).toContain('in a browser');
    const plain = await failure(get(client(url, { maxTries: 1, advice: { network: 'ask the firewall team' } }).http));
    expect(plain.message).toMatch(/\(ECONNREFUSED\): check the URL, the network and that the server is up; ask the firewall team$/);
  });

  it.each([
    [400, 'http'],
    [401, 'auth'],
    [403, 'auth'],
    [404, 'http'],
    [500, 'http'],
  ] as const)('never retries HTTP %i', async (status, kind) => {
    server.fault({ kind: 'status', status, json: { err: 'no' } });
    const { http, waits } = client();
    const error = await failure(get(http));
    expect(error).toMatchObject({ kind, status, instance: 'lab', vendor: 'metadefender-vault' });
    expect(server.requests).toHaveLength(1);
    expect(waits).toEqual([]);
    if (kind === 'auth') expect(error.message).toContain(`refused (HTTP ${status}): "no". Use a key whose user may list keys.`);
    else expect(error.message).toContain(`failed with HTTP ${status}: "no"`);
  });

  it('calls HTTP 402 a license problem and does not retry it', async () => {
    server.fault({ kind: 'status', status: 402, json: { err: 'not licensed' } });
    const { http } = client();
    const error = await failure(get(http));
    expect(error).toMatchObject({ kind: 'license', status: 402 });
    expect(error.message).toContain('"not licensed"');
    expect(error.message).toContain('license');
    expect(http.requestCount).toBe(1);
  });

  it('honours Retry-After in seconds', async () => {
    server.fault({ kind: 'status', status: 503, headers: { 'retry-after': '7' } }, { times: 1 });
    const { http, waits } = client();
    await get(http);
    expect(waits).toEqual([7000]);
  });

  it('honours Retry-After as an HTTP date', async () => {
    server.fault({ kind: 'status', status: 429, headers: { 'retry-after': new Date(Date.now() + 20_000).toUTCString() } }, { times: 1 });
    const { http, waits } = client();
    await get(http);
    expect(waits).toHaveLength(1);
    // The date has whole seconds and the clock moves on, so only a window is exact.
    expect(waits[0]).toBeGreaterThan(10_000);
    expect(waits[0]).toBeLessThanOrEqual(20_000);
  });

  it.each(['3600', 'Wed, 21 Oct 2099 07:28:00 GMT'])('caps Retry-After %s', async (retryAfter) => {
    server.fault({ kind: 'status', status: 503, headers: { 'retry-after': retryAfter } }, { times: 2 });
    const { http, waits } = client(server.url, { maxRetryDelayMs: 4_000 });
    await get(http);
    expect(waits).toEqual([4_000, 4_000]);
  });

  it('parses Retry-After forms', () => {
    const now = Date.parse('2026-01-31T12:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Sat, 31 Jan 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sat, 31 Jan 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe('replies that are not what was asked for', () => {
  it('times out with advice, and does not sit out a second timeout', async () => {
    server.fault({ kind: 'hang' });
    const { http } = client(server.url, { timeoutMs: 300, maxTries: 2 });
    const error = await failure(get(http));
    expect(error.kind).toBe('timeout');
    expect(error.message).toBe('lab (metadefender-vault): GET /vault_rest/tokens/0/100 got no answer within 0.3 s: check the URL and that the server is up');
    expect(server.requests).toHaveLength(1);
  });

  it('recognises an HTML login page', async () => {
    server.fault({ kind: 'html-login' });
    const error = await failure(get(client().http));
    expect(error.kind).toBe('format');
    expect(error.message).toContain('returned an HTML page instead of JSON');
    expect(error.message).toContain('check that the URL is the API address');
    expect(server.requests).toHaveLength(1);
  });

  it('recognises HTML sent with a JSON content type', async () => {
    reply = () => ({ text: '  <html><body>Sign in</body></html>', headers: { 'content-type': 'application/json' } });
    expect((await failure(get(client().http))).message).toContain('HTML page');
  });

  it('names malformed JSON', async () => {
    server.fault({ kind: 'malformed' });
    const error = await failure(get(client().http));
    expect(error.kind).toBe('format');
    expect(error.message).toMatch(/returned malformed JSON \(.+ at position \d+\): the server or a proxy/);
  });

  it('does not quote vendor data from malformed JSON', async () => {
    const otherUsersKey = 'VAULT-TOKEN-000042-9f8e7d6c';
    reply = () => ({ text: `[1, 2, ${otherUsersKey}]`, headers: { 'content-type': 'application/json' } });
    const error = await failure(get(client().http));
    expect(error.message).toContain("malformed JSON (Unexpected token 'V')");
    expect(error.message).not.toMatch(/VAULT-TOK/);
  });

  it('names the field of a wrong type, without its value', async () => {
    reply = () => ({ json: { items: [{ token_id: 1, token: 'x' }, { token_id: 'two', token: 'SECRET-VALUE-IN-FIELD' }] } });
    const error = await failure(get(client().http));
    expect(error.kind).toBe('format');
    expect(error.message).toContain('GET /vault_rest/tokens/0/100 returned an unexpected reply: field "items[1].token_id"');
    expect(error.message).toMatch(/expected number/);
    expect(error.message).not.toContain('two');
  });

  it('names a missing field', async () => {
    reply = () => ({ json: { filter_count: 0 } });
    expect((await failure(get(client().http))).message).toContain('field "items"');
  });

  it('does not follow a redirect and says where it went', async () => {
    reply = () => ({ status: 302, headers: { location: '/login?next=%2Fadmin' } });
    const { http } = client();
    const error = await failure(get(http));
    expect(error).toMatchObject({ kind: 'http', status: 302 });
    expect(error.message).toContain('was redirected (HTTP 302) to /login?next=%2Fadmin: the URL probably points at the web console or a login page, not the API');
    expect(server.requests).toHaveLength(1);
  });
});

describe('secrets', () => {
  it('are redacted from vendor error text, plain and URL-encoded', async () => {
    const awkward = 'k+y/with=chars&more-secret';
    reply = () => ({ status: 403, json: { err: `API key ${SECRET} is incorrect; also tried ${encodeURIComponent(awkward)}` } });
    const error = await failure(get(client(server.url, {}, [SECRET, awkward]).http));
    expect(error.message).toContain('"API key [redacted] is incorrect; also tried [redacted]"');
    expect(error.message).not.toContain(SECRET);
    expect(error.message).not.toContain(encodeURIComponent(awkward));
  });

  it('are redacted when a server quotes them back JSON-escaped (an echoed request body)', async () => {
    const password = 'pa"ss\\wörd-Ω-1234';
    const echoed = JSON.stringify({ username: 'admin', password });
    const asciiEchoed = echoed.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
    reply = () => ({ status: 400, json: { err: `bad request body ${echoed}; as sent: ${asciiEchoed}` } });
    const error = await failure(get(client(server.url, {}, [password]).http));
    expect(error.message).toContain('"password":"[redacted]"}; as sent: {');
    expect(error.message.match(/\[redacted\]/g)).toHaveLength(2);
    for (const form of ['pa\\"ss', 'wörd', 'w\\u00F6rd', '1234']) expect(error.message).not.toContain(form);
  });

  it('learnt during the run are redacted too', async () => {
    const session = 'SESSION-TOKEN-77aa11bb22cc';
    reply = () => ({ status: 500, json: { err: `session ${session} expired` } });
    const { http } = client();
    http.addSecret(session);
    const error = await failure(get(http));
    expect(error.message).toContain('session [redacted] expired');
    expect(error.message).not.toContain(session);
  });

  it('are redacted from redirect targets', async () => {
    reply = () => ({ status: 301, headers: { location: `https://sso.example/?key=${SECRET}` } });
    const error = await failure(get(client().http));
    expect(error.message).not.toContain(SECRET);
    expect(error.message).toContain('key=[redacted]');
  });
});

describe('TLS', () => {
  let tlsServer: MockServer;
  beforeAll(async () => {
    const pems = generate([{ name: 'commonName', value: '127.0.0.1' }], { days: 2, keySize: 2048, algorithm: 'sha256' });
    tlsServer = await startMock('self-signed', () => ({ json: ITEMS }), { tls: { key: pems.private, cert: pems.cert } });
  });
  afterAll(() => tlsServer.close());

  it('an untrusted certificate is a TLS failure with advice, not retried', async () => {
    const { http, waits } = client(tlsServer.url);
    const error = await failure(get(http));
    expect(error.kind).toBe('tls');
    expect(error.message).toMatch(/^lab \(metadefender-vault\): the server's TLS certificate is not trusted \([A-Z_]+\); open the console once in this browser and trust its certificate$/);
    expect(http.requestCount).toBe(1);
    expect(waits).toEqual([]);
    expect(tlsServer.requests).toHaveLength(0);
  });

  it('https:// to a plain-HTTP port says to check the scheme, not to trust a certificate, once', async () => {
    const { http, waits } = client(server.url.replace('http:', 'https:'));
    const error = await failure(get(http));
    expect(error.kind).toBe('tls');
    expect(error.message).toMatch(/could not start TLS with https:\/\/127\.0\.0\.1:\d+ \([A-Z_]+\): the server does not speak HTTPS on this port; check http:\/\/ versus https:\/\/ in the URL$/);
    expect(error.message).not.toContain('trust');
    expect(http.requestCount).toBe(1);
    expect(waits).toEqual([]);
  });
});
