import { afterEach, describe, expect, it } from 'vitest';
import {
  generateVaultTokens,
  startVaultMock,
  VAULT_ADMIN_KEY,
  VAULT_USERNAME,
  vaultDemoTokens,
  type VaultMockOptions,
} from '../../test/mock-vendors/metadefender-vault';
import { startMock, type MockServer } from '../../test/mock-vendors/server';
import type { ResolvedInstance } from '../config';
import { readInstance, runInventory, type InventoryOptions, type ProgressEvent } from '../inventory';
import { isoFromMs } from '../utc-date';
import { vendorDateToInstant } from './dates';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const servers: MockServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function vault(options: VaultMockOptions = {}): Promise<MockServer> {
  const server = await startVaultMock({ now: NOW, ...options });
  servers.push(server);
  return server;
}

const instance = (server: MockServer, extra: Partial<ResolvedInstance> = {}): ResolvedInstance => ({
  name: 'vault-prod',
  vendor: 'metadefender-vault',
  url: server.url,
  apiKey: VAULT_ADMIN_KEY,
  username: VAULT_USERNAME,
  ...extra,
});

const read = (server: MockServer, extra: Partial<ResolvedInstance> = {}, options: InventoryOptions = {}) =>
  readInstance(instance(server, extra), options, NOW);

/** Requests for pages, as [start, count]. */
const pages = (server: MockServer) =>
  server.requests.map((r) => r.path.split('/').slice(3).map(Number) as [number, number]);

describe('records', () => {
  it('normalizes every seeded token', async () => {
    const server = await vault();
    const { records, result } = await read(server);
    expect(result).toMatchObject({ ok: true, count: 8 });
    const byId = new Map(records.map((r) => [r.key_id, r]));

    // docs/contract.md#metadefender-vault's own example, 7 fractional digits and lower-case role included.
    expect(byId.get('1')).toEqual({
      instance: 'vault-prod',
      vendor: 'metadefender-vault',
      owner: VAULT_USERNAME,
      directory: '',
      key_id: '1',
      key: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      description: 'Metadefender access token',
      roles: ['Guest'],
      status: 'expired',
      created: '2015-07-02T12:00:00.000Z',
      expires: '2016-01-01T12:00:00.000Z',
      days_left: Math.floor((Date.parse('2016-01-01T12:00:00Z') - NOW.getTime()) / 86_400_000),
      owner_state: '',
      owner_last_login: '',
      owner_email: '',
      owner_role: '',
      age_days: Math.floor((NOW.getTime() - Date.parse('2015-07-02T12:00:00Z')) / 86_400_000),
      coverage: 'own + system-level tokens',
    });
    expect(byId.get('2')).toMatchObject({ roles: ['User'], status: 'expired', created: '2015-01-02T12:00:00.000Z' });
    expect(byId.get('3')).toMatchObject({ roles: ['Administrator'], status: 'active', days_left: 3, description: 'CI pipeline for Zoë', expires: '2026-03-04T12:00:00.000Z' });
    expect(byId.get('4')).toMatchObject({ roles: ['Guest'], status: 'active', days_left: 20, description: '<b>markup</b> & reports' });
    expect(byId.get('5')).toMatchObject({ roles: ['User'], status: 'expired', days_left: -10, description: '=HYPERLINK("http://evil.example","open")' });
    // Revoked: the vendor's word wins over a date still ahead.
    expect(byId.get('6')).toMatchObject({ status: 'expired', days_left: 5, description: 'revoked, "quoted", comma' });
    expect(byId.get('7')).toMatchObject({ roles: ['Administrator'], status: 'active', days_left: 400, created: '2025-12-01T12:00:00.000Z', description: 'Nightly backup\nsecond line' });
    // Unknown roles are kept as given; no expiry means never.
    expect(byId.get('8')).toMatchObject({ roles: ['Auditor'], status: 'active', expires: '', days_left: null, description: '' });
    for (const token of vaultDemoTokens(NOW)) expect(byId.get(String(token.token_id))?.key).toBe(token.token);
  });

  it('sends the key as a Bearer token and asks for 100 from the start', async () => {
    const server = await vault();
    await read(server);
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${VAULT_ADMIN_KEY}`);
    expect(pages(server)[0]).toEqual([0, 100]);
  });

  it('leaves the owner empty when no username is configured', async () => {
    const server = await vault();
    const { records } = await read(server, { username: undefined });
    expect(new Set(records.map((r) => r.owner))).toEqual(new Set(['']));
  });

  it('uses a console session token when no API key is configured', async () => {
    const session = 'VAULT-SESSION-TOKEN-1e2d3c4b5a69';
    const server = await vault({ apiKeys: [session] });
    const { result } = await read(server, { apiKey: undefined, sessionToken: session });
    expect(result.ok).toBe(true);
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${session}`);
  });

  it('a date it cannot read costs that key its expiry, not the instance: the row is kept and the field named', async () => {
    const [token, other] = vaultDemoTokens(NOW);
    const server = await vault({ tokens: [{ ...token!, expires: 'next Tuesday' }, other!] });
    const { records, result } = await read(server);
    expect(result).toMatchObject({ ok: true, count: 2 });
    expect(records.find((r) => r.key_id === '1')).toMatchObject({ expires: '', created: '2015-07-02T12:00:00.000Z' });
    expect(result.warnings).toEqual(['vault-prod (metadefender-vault): 1 date could not be read and is left empty (expires of key 1): check it in the console']);
    expect(result.ledger.unreadableDates).toBe(1);
  });

  it.each([
    ['2015-07-02T12:00:00.0000000Z', '2015-07-02T12:00:00.000Z'],
    ['2015-07-02T12:00:00.1239999Z', '2015-07-02T12:00:00.123Z'],
    ['2015-07-02T12:00:00Z', '2015-07-02T12:00:00.000Z'],
    ['2015-07-02T12:00:00.5', '2015-07-02T12:00:00.500Z'],
    ['2015-07-02 12:00', '2015-07-02T12:00:00.000Z'],
    ['2015-07-02T14:00:00.0000000+02:00', '2015-07-02T12:00:00.000Z'],
    ['2015-07-02T14:00:00-0130', '2015-07-02T15:30:00.000Z'],
  ])('reads the date %s', (text, iso) => {
    expect(isoFromMs(vendorDateToInstant(text)!)).toBe(iso);
  });

  it.each(['', '2015-13-02T12:00:00Z', '02/07/2015', '1435838400000'])('refuses %j as a date', (text) => {
    expect(vendorDateToInstant(text)).toBeUndefined();
  });
});

describe('paging', () => {
  it('reads every page behind a server cap, concurrently within the pool', async () => {
    const server = await vault({ generate: 1234, maxCount: 50, latencyMs: 15 });
    const progress: ProgressEvent[] = [];
    const { records, result } = await read(server, {}, { pagePool: 4, onProgress: (e) => progress.push(e) });
    expect(result).toMatchObject({ ok: true, count: 1234 });
    expect(new Set(records.map((r) => r.key_id)).size).toBe(1234);
    // The first page shows the cap; each later page starts on the last entry of the one before (a
    // list that moves shows there), once each; the end is the last entry alone, then an empty page.
    expect(pages(server)[0]).toEqual([0, 100]);
    expect(pages(server).slice(1, -2).sort((a, b) => a[0] - b[0])).toEqual(Array.from({ length: 25 }, (_, i) => [(i + 1) * 49, 100]));
    expect(pages(server).slice(-2)).toEqual([[1233, 100], [1234, 100]]);
    expect(server.maxInFlight).toBeLessThanOrEqual(4);
    expect(server.maxInFlight).toBeGreaterThan(1);
    const pageEvents = progress.filter((e) => e.type === 'page');
    expect(pageEvents).toHaveLength(28);
    expect(pageEvents.at(-1)).toMatchObject({ read: 1234, total: 1234 });
  });

  it('keeps to the default pool of 6 on 10,000 tokens', async () => {
    const server = await vault({ generate: 10_000, maxCount: 100, latencyMs: 5 });
    const { records, result } = await read(server);
    expect(result.ok).toBe(true);
    expect(new Set(records.map((r) => r.key_id)).size).toBe(10_000);
    // 100 pages of 100 overlapping by one, the last entry alone, the empty page.
    expect(server.requests).toHaveLength(104);
    expect(server.maxInFlight).toBeLessThanOrEqual(6);
    expect(server.maxInFlight).toBeGreaterThan(1);
  });

  it('stops on an empty first page when nothing is announced', async () => {
    const server = await vault({ tokens: [] });
    const { result } = await read(server);
    expect(result).toMatchObject({ ok: true, count: 0 });
    expect(server.requests).toHaveLength(1);
  });

  it('without announced counts, reads on until an empty page', async () => {
    const tokens = generateVaultTokens(120, NOW);
    const server = await startMock('vault-no-counts', (req) => {
      const [start, count] = req.path.split('/').slice(3).map(Number);
      return { json: { items: tokens.slice(start, start! + Math.min(count!, 50)) } };
    });
    servers.push(server);
    const { records, result } = await read(server);
    expect(result).toMatchObject({ ok: true, count: 120 });
    expect(new Set(records.map((r) => r.key_id)).size).toBe(120);
    expect(pages(server)).toEqual([[0, 100], [49, 100], [98, 100], [119, 100], [120, 100]]);
  });

  it('ends a count that lies incomplete, keeping the rows', async () => {
    const server = await vault({ generate: 120, maxCount: 50, lieAboutTotal: 35 });
    const { records, result } = await read(server);
    expect(result.error?.kind).toBe('incomplete');
    expect(result.error?.message).toContain('the server announced 155 keys but delivered 120: the list is incomplete (the keys read are kept)');
    expect(result.count).toBe(120);
    expect(new Set(records.map((r) => r.key_id)).size).toBe(120);
    expect(server.requests.length).toBeLessThanOrEqual(Math.ceil(155 / 50) * 2 + 10);
  });

  it('does not chase a wildly inflated count', async () => {
    const server = await vault({ generate: 75, maxCount: 50, lieAboutTotal: 1_000_000 });
    const { records, result } = await read(server, {}, { pagePool: 3 });
    expect(result.error?.kind).toBe('incomplete');
    expect(result.error?.message).toContain('announced 1000075 keys but delivered 75');
    expect(records).toHaveLength(75);
    // First page, at most a pool's worth beyond the data (and one a worker took before the empty
    // page landed), then the last entry alone and the empty page.
    expect(server.requests.length).toBeLessThanOrEqual(1 + 3 + 1 + 2);
  });

  it('ends on a server that ignores start, without duplicates', async () => {
    const server = await vault({ generate: 300, maxCount: 50, repeatPage: true });
    const { records, result } = await read(server);
    expect(result.error?.kind).toBe('paging');
    expect(result.error?.message).toMatch(/the page of GET \/vault_rest\/tokens at position \d+ repeats the first page \(the server seems to ignore the start position\): 50 keys read/);
    expect(records.map((r) => r.key_id)).toEqual(Array.from({ length: 50 }, (_, i) => String(i + 1)));
    expect(server.requests.length).toBeLessThanOrEqual(1 + 6);
  });

  it('ends on an empty page mid-way, keeping every row read', async () => {
    // Pages start at 0, 49, 98…: the one at 98 comes back empty although entry 98 was read.
    const server = await vault({ generate: 300, maxCount: 50, emptyPageAt: 98 });
    const { records, result } = await read(server, {}, { pagePool: 2 });
    expect(result.error?.kind).toBe('incomplete');
    const ids = records.map((r) => Number(r.key_id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(result.error?.message).toContain(`announced 300 keys but delivered ${ids.length}`);
    expect(ids.filter((id) => id > 99 && id <= 147)).toEqual([]);
    expect(ids.filter((id) => id <= 99)).toHaveLength(99);
    expect(server.requests.length).toBeLessThanOrEqual(Math.ceil(300 / 50) * 2 + 10);
  });

  it('fills the hole a short page leaves', async () => {
    const tokens = generateVaultTokens(200, NOW);
    const server = await vault({ tokens, maxCount: 50 });
    server.fault({ kind: 'status', status: 200, json: { filter_count: 200, total_count: 200, items: tokens.slice(49, 59) } }, { path: /\/tokens\/49\//, times: 1 });
    const { records, result } = await read(server);
    expect(result).toMatchObject({ ok: true, count: 200 });
    expect(new Set(records.map((r) => r.key_id)).size).toBe(200);
    // The hole is read from its last entry on, so the boundary is checked too.
    expect(pages(server)).toContainEqual([58, 100]);
  });

  it('keeps the rows of earlier pages when a later page fails', async () => {
    const server = await vault({ generate: 200, maxCount: 50 });
    server.fault({ kind: 'status', status: 500, json: { error: 'database unavailable' } }, { path: /\/tokens\/147\// });
    const { records, result } = await read(server, {}, { pagePool: 1 });
    expect(result.error).toEqual({ kind: 'http', message: 'vault-prod (metadefender-vault): GET /vault_rest/tokens/147/100 failed with HTTP 500: "database unavailable"' });
    expect(records).toHaveLength(148);
  });
});

describe('errors', () => {
  it('a wrong key is refused once, with the vendor text and what to do', async () => {
    const server = await vault();
    const { records, result } = await read(server, { apiKey: 'VAULT-WRONG-APIKEY-000000000000' });
    expect(records).toEqual([]);
    expect(result.error).toEqual({
      kind: 'auth',
      message:
        'vault-prod (metadefender-vault): GET /vault_rest/tokens/0/100 was refused (HTTP 403): "API key is incorrect". Check that the key is a valid MetaDefender Vault API key and that its user is allowed to list API keys (vault_rest/tokens).',
    });
    expect(server.requests).toHaveLength(1);
  });

  it.each([{ err: 'Invalid parameter' }, { error: 'Invalid parameter' }, { message: 'Invalid parameter' }])('reads the error body %j', async (json) => {
    const server = await vault();
    server.fault({ kind: 'status', status: 400, json });
    const { result } = await read(server);
    expect(result.error?.message).toContain('failed with HTTP 400: "Invalid parameter"');
  });

  it('never lets the key into a message, even when the server echoes it', async () => {
    const server = await vault();
    server.fault({ kind: 'status', status: 401, json: { err: `Unknown API key ${VAULT_ADMIN_KEY}` } }, { times: 1 });
    server.fault({ kind: 'html-login' }, { times: 1 });
    const first = await read(server);
    const second = await read(server);
    for (const { result } of [first, second]) {
      expect(result.ok).toBe(false);
      expect(result.error?.message).not.toContain(VAULT_ADMIN_KEY);
    }
    expect(first.result.error?.message).toContain('"Unknown API key [redacted]"');
  });

  it('runs beside other instances: one failing keeps the others', async () => {
    const good = await vault();
    const bad = await vault({ generate: 60, maxCount: 50, repeatPage: true });
    const { records, results } = await runInventory([instance(good, { name: 'good' }), instance(bad, { name: 'bad' })], { now: NOW });
    expect(results.map((r) => [r.instance, r.ok, r.count])).toEqual([
      ['good', true, 8],
      ['bad', false, 50],
    ]);
    expect(records).toHaveLength(58);
  });
});

describe('the mock', () => {
  const get = (server: MockServer, path: string, headers: Record<string, string> = {}) =>
    fetch(server.url + path, { headers: { authorization: `Bearer ${VAULT_ADMIN_KEY}`, ...headers } });

  it('refuses a missing key with 401 and a wrong one with 403', async () => {
    const server = await vault();
    expect((await fetch(`${server.url}/vault_rest/tokens/0/10`)).status).toBe(401);
    const wrong = await fetch(`${server.url}/vault_rest/tokens/0/10`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toEqual({ err: 'API key is incorrect' });
  });

  it('honours find, findB64 and sorting, and leaves other paths alone', async () => {
    const server = await vault();
    const found = (await (await get(server, '/vault_rest/tokens/0/100', { find: 'REPORTS' })).json()) as { filter_count: number; total_count: number; items: { token_id: number }[] };
    expect(found).toMatchObject({ filter_count: 1, total_count: 8, items: [{ token_id: 4 }] });
    const b64 = (await (await get(server, '/vault_rest/tokens/0/100', { find: 'x', findB64: Buffer.from('Zoë').toString('base64') })).json()) as typeof found;
    expect(b64.items.map((t) => t.token_id)).toEqual([3]);
    const sorted = (await (await get(server, '/vault_rest/tokens/0/3', { sort_column: 'Created', sort_direction: 'desc' })).json()) as typeof found;
    expect(sorted.items.map((t) => t.token_id)).toEqual([8, 6, 4]);
    expect((await get(server, '/vault_rest/other')).status).toBe(404);
  });
});
