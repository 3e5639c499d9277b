import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { generate } from 'selfsigned';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, resolveSecrets, type ResolvedInstance } from '../../lib/config';
import { runInventory } from '../../lib/inventory';
import type { VendorId } from '../../lib/vendors';
import { runCli } from '../cli/run-cli';
import { FLEET_VENDORS, startMockFleet, type FleetVendorId, type MockFleet } from '../mock-vendors/index';
import { startVaultMock, VAULT_ADMIN_KEY, VAULT_USERNAME, type VaultMockOptions } from '../mock-vendors/metadefender-vault';
import type { Fault, MockServer } from '../mock-vendors/server';
import { expectNoSecrets, MOCK_SECRETS, NOW, readRecordingWaits, tempDir, writeJson } from './helpers';

/**
 * The faults of docs/contract.md#faults-and-retries against every vendor's real mock over HTTP: what is retried and how often, how long
 * the recorded waits are, and that every failure names its instance with advice.
 * Per-vendor happy paths and vendor-specific error texts live beside each adapter.
 */

let fleet: MockFleet;
let instances: Record<FleetVendorId, ResolvedInstance>;
const DEFAULT_CAP_MS = 30_000;

beforeAll(async () => {
  fleet = await startMockFleet({ now: NOW });
  const resolved = resolveSecrets(parseConfig(fleet.config), {});
  instances = Object.fromEntries(resolved.map((i) => [i.vendor, i])) as Record<FleetVendorId, ResolvedInstance>;
});
afterAll(() => fleet.close());
afterEach(() => {
  for (const server of Object.values(fleet.servers)) {
    server.clearFaults();
    server.resetStats();
  }
});

/** Requests of a healthy read, so a retried one can be counted against it. */
const healthy: Partial<Record<FleetVendorId, number>> = {};

describe.each(FLEET_VENDORS)('%s under faults', (vendor) => {
  const server = (): MockServer => fleet.servers[vendor];
  const read = (timeoutMs?: number) => readRecordingWaits(instances[vendor], { http: timeoutMs ? { timeoutMs } : {} });
  const prefix = () => `${instances[vendor].name} (${vendor}): `;

  it('reads cleanly without faults (the baseline the counts below compare with)', async () => {
    const { result, waits } = await read();
    expect(result.ok, result.error?.message).toBe(true);
    expect(result.count).toBeGreaterThan(0);
    expect(waits).toEqual([]);
    healthy[vendor] = server().requests.length;
  });

  it('gives up on a server that never answers after one timeout, not three', async () => {
    server().fault({ kind: 'hang' });
    const { result, records, waits } = await read(200);
    expect(result.error?.kind).toBe('timeout');
    expect(result.error!.message.startsWith(prefix())).toBe(true);
    expect(result.error!.message).toMatch(/got no answer within 0\.2 s: check the URL and that the server is up$/);
    expect(records).toEqual([]);
    expect(server().requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('retries a reset connection with backoff, at most 3 tries in all', async () => {
    server().fault({ kind: 'reset' });
    const { result, waits } = await read();
    expect(result.error?.kind).toBe('network');
    expect(result.error!.message.startsWith(prefix())).toBe(true);
    expect(result.error!.message).toContain('check the URL, the network and that the server is up');
    expect(server().requests).toHaveLength(3);
    expect(waits).toEqual([500, 1000]);
  });

  it('recovers from one reset connection', async () => {
    server().fault({ kind: 'reset' }, { times: 1 });
    const { result, waits } = await read();
    expect(result.ok, result.error?.message).toBe(true);
    expect(server().requests).toHaveLength(healthy[vendor]! + 1);
    expect(waits).toEqual([500]);
  });

  it.each([
    ['2', [2000, 2000]],
    ['0', [0, 0]],
    // A hostile or confused server cannot park the export: each wait is capped.
    ['3600', [DEFAULT_CAP_MS, DEFAULT_CAP_MS]],
    ['Wed, 21 Oct 2099 07:28:00 GMT', [DEFAULT_CAP_MS, DEFAULT_CAP_MS]],
    // Unreadable Retry-After: plain exponential backoff.
    ['soon', [500, 1000]],
  ])('survives a 429 storm with Retry-After %j: 3 tries, waits honoured and capped', async (retryAfter, expected) => {
    server().fault({ kind: 'status', status: 429, json: {}, headers: { 'retry-after': retryAfter } });
    const { result, waits } = await read();
    expect(result.error?.kind).toBe('http');
    expect(result.error!.message).toMatch(/was rate-limited \(HTTP 429\).*: try again later$/);
    expect(server().requests).toHaveLength(3);
    expect(waits).toEqual(expected);
    expect(waits.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(2 * DEFAULT_CAP_MS);
  });

  it('honours a custom cap on Retry-After and still finishes after two 429s', async () => {
    server().fault({ kind: 'status', status: 429, json: {}, headers: { 'retry-after': '90' } }, { times: 2 });
    const { result, waits } = await readRecordingWaits(instances[vendor], { http: { maxRetryDelayMs: 5000 } });
    expect(result.ok, result.error?.message).toBe(true);
    expect(waits).toEqual([5000, 5000]);
    expect(server().requests).toHaveLength(healthy[vendor]! + 2);
  });

  it.each([502, 503, 504])('retries HTTP %i three times in all', async (status) => {
    server().fault({ kind: 'status', status, json: {} });
    const { result, waits } = await read();
    expect(result.error).toMatchObject({ kind: 'http', message: expect.stringContaining(`failed with HTTP ${status}`) });
    expect(server().requests).toHaveLength(3);
    expect(waits).toEqual([500, 1000]);
  });

  it.each([500, 400, 404, 409])('never retries HTTP %i', async (status) => {
    // Cloud answers an unknown key with 404 (docs/contract.md#metadefender-cloud), so there a 404 is a refusal: still sent once.
    server().fault({ kind: 'status', status, json: {} });
    const { result, waits } = await read();
    expect(result.ok).toBe(false);
    expect(result.error!.message.startsWith(prefix())).toBe(true);
    expect(server().requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it.each<[string, Fault, RegExp]>([
    ['truncated JSON', { kind: 'malformed' }, /returned malformed JSON \(.*\): the server or a proxy in between is misbehaving; check that the URL is the [a-z-]+ API address$/],
    ['an HTML login page', { kind: 'html-login' }, /returned an HTML page instead of JSON \(a login page or proxy\?\): check that the URL is the API address/],
  ])('names %s as a format failure with advice, once', async (_, fault, text) => {
    server().fault(fault);
    const { result, waits } = await read();
    expect(result.error?.kind).toBe('format');
    expect(result.error!.message.startsWith(prefix())).toBe(true);
    expect(result.error!.message).toMatch(text);
    expect(server().requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });
});

describe('all five at once', () => {
  it('one instance per fault kind: each fails on its own, the healthy ones keep their rows', async () => {
    fleet.servers['metadefender-core'].fault({ kind: 'hang' });
    fleet.servers['metadefender-storage'].fault({ kind: 'reset' });
    fleet.servers['cortex-xsoar'].fault({ kind: 'status', status: 429, json: {}, headers: { 'retry-after': '3600' } });
    fleet.servers['metadefender-vault'].fault({ kind: 'malformed' }, { path: /\/tokens\/0\// });
    const waits: number[] = [];
    const { records, results } = await runInventory(Object.values(instances), {
      now: NOW,
      http: { timeoutMs: 1500, sleep: async (ms) => void waits.push(ms) },
    });
    expect(results.map((r) => [r.vendor, r.error?.kind ?? 'ok'])).toEqual([
      ['metadefender-core', 'timeout'],
      ['metadefender-storage', 'network'],
      ['cortex-xsoar', 'http'],
      ['metadefender-vault', 'format'],
      ['metadefender-cloud', 'ok'],
    ]);
    expect(records.map((r) => r.vendor)).toEqual(['metadefender-cloud']);
    expect(waits.sort((a, b) => a - b)).toEqual([500, 1000, DEFAULT_CAP_MS, DEFAULT_CAP_MS]);
    expectNoSecrets(JSON.stringify(results), MOCK_SECRETS, 'results');
  });
});

// ---------------------------------------------------------------- TLS and the CLI's caFile

function certificate(altNames: { type: number; ip?: string; value?: string }[]) {
  return generate([{ name: 'commonName', value: 'keyatlas-test-console' }], {
    days: 2,
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [{ name: 'basicConstraints', cA: true }, { name: 'keyUsage', keyCertSign: true, digitalSignature: true, keyEncipherment: true }, { name: 'subjectAltName', altNames }],
  });
}

describe('a console with a self-signed certificate', () => {
  let dir: string;
  let tls: MockServer;
  let wrongName: MockServer;
  const pems = certificate([{ type: 7, ip: '127.0.0.1' }]);
  const otherPems = certificate([{ type: 2, value: 'vault.other.example' }]);

  beforeAll(async () => {
    dir = tempDir();
    tls = await startVaultMock({ now: NOW, tls: { key: pems.private, cert: pems.cert } });
    wrongName = await startVaultMock({ now: NOW, tls: { key: otherPems.private, cert: otherPems.cert } });
    writeFileSync(join(dir, 'console-ca.pem'), pems.cert);
    writeFileSync(join(dir, 'other-ca.pem'), otherPems.cert);
  });
  afterAll(async () => {
    await Promise.all([tls.close(), wrongName.close()]);
  });

  const config = (server: MockServer, caFile?: string) =>
    writeJson(dir, `vault-${caFile ?? 'none'}-${server.url.split(':').pop()}.json`, {
      instances: [{ name: 'vault-tls', vendor: 'metadefender-vault', url: server.url, apiKey: VAULT_ADMIN_KEY, username: VAULT_USERNAME, ...(caFile ? { caFile } : {}) }],
    });

  it('fails once with advice to trust the certificate, without sending a request', async () => {
    const { result, waits } = await readRecordingWaits({ name: 'vault-tls', vendor: 'metadefender-vault', url: tls.url, apiKey: VAULT_ADMIN_KEY });
    expect(result.error?.kind).toBe('tls');
    expect(result.error!.message).toMatch(/^vault-tls \(metadefender-vault\): the server's TLS certificate is not trusted \(\w+\); open the console once in this browser and trust its certificate$/);
    expect(waits).toEqual([]);
    expect(tls.requests).toHaveLength(0);
  });

  it('CLI without caFile: exit 1 and the CLI\'s remedy on stderr, not the browser\'s', async () => {
    const run = await runCli(['summary', '--config', config(tls)]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: vault-tls \(metadefender-vault\): the server's TLS certificate is not trusted \(\w+\); give this instance the CA certificate that signed it with "caFile" in the config$/m);
    expect(run.stderr).not.toMatch(/browser/);
    expect(tls.requests).toHaveLength(0);
  });

  it('CLI with caFile (relative to the config file) reads every key over verified TLS', async () => {
    const out = join(dir, 'tls.csv');
    const run = await runCli(['export', '--config', config(tls, 'console-ca.pem'), '--out', out, '--quiet']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const rows = Papa.parse<Record<string, string>>(readFileSync(out, 'utf8').slice(1), { header: true, delimiter: ',', newline: '\r\n', skipEmptyLines: true }).data;
    expect(rows).toHaveLength(8);
    expect(rows.every((r) => r.instance === 'vault-tls')).toBe(true);
  });

  it('caFile trusts that CA only: another CA or a certificate for another name still fails as TLS', async () => {
    const otherCa = await runCli(['summary', '--config', config(tls, 'other-ca.pem'), '--json']);
    expect(otherCa.code).toBe(1);
    expect(otherCa.stderr).toMatch(/error: vault-tls \(metadefender-vault\): the server's TLS certificate is not trusted \(\w+\)/);
    const otherName = await runCli(['summary', '--config', config(wrongName, 'other-ca.pem'), '--json']);
    expect(otherName.code).toBe(1);
    expect(otherName.stderr).toMatch(/error: vault-tls \(metadefender-vault\): the server's TLS certificate is not trusted \(ERR_TLS_CERT_ALTNAME_INVALID\)/);
    expect(wrongName.requests).toHaveLength(0);
  });
});

// ---------------------------------------------------------------- paging servers that lie, through the CLI

describe('Vault servers whose paging lies, through the CLI', () => {
  let dir: string;
  const servers: MockServer[] = [];
  beforeAll(() => {
    dir = tempDir();
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it.each<[string, VaultMockOptions, RegExp, (ids: number[]) => void]>([
    [
      'a total that promises more than exists',
      { generate: 130, maxCount: 50, lieAboutTotal: 40 },
      /the server announced 170 keys but delivered 130: the list is incomplete \(the keys read are kept\)/,
      (ids) => expect(ids).toHaveLength(130),
    ],
    [
      'a total inflated by millions',
      { generate: 75, maxCount: 25, lieAboutTotal: 5_000_000 },
      /announced 5000075 keys but delivered 75/,
      (ids) => expect(ids).toHaveLength(75),
    ],
    [
      'a server that ignores start',
      { generate: 300, maxCount: 50, repeatPage: true },
      /repeats the first page \(the server seems to ignore the start position\): 50 keys read; the keys read are kept/,
      (ids) => expect(ids).toEqual(Array.from({ length: 50 }, (_, i) => i + 1)),
    ],
    [
      'an empty page mid-way',
      // Pages start at 0, 49, 98, 147…: the one at 147 comes back empty although entry 147 was read.
      { generate: 300, maxCount: 50, emptyPageAt: 147 },
      /announced 300 keys but delivered \d+: the list is incomplete/,
      (ids) => expect(ids.filter((id) => id <= 148)).toHaveLength(148),
    ],
  ])('%s: exit 1, a clear error, the rows read in the CSV, a bounded number of requests', async (_, options, message, checkIds) => {
    const liar = await startVaultMock({ now: NOW, ...options });
    const honest = await startVaultMock({ now: NOW });
    servers.push(liar, honest);
    const configPath = writeJson(dir, 'liar.json', {
      instances: [
        { name: 'liar', vendor: 'metadefender-vault', url: liar.url, apiKey: VAULT_ADMIN_KEY },
        { name: 'honest', vendor: 'metadefender-vault', url: honest.url, apiKey: VAULT_ADMIN_KEY },
      ],
    });
    const out = join(dir, 'liar.csv');
    const run = await runCli(['export', '--config', configPath, '--out', out, '--keys', 'omit']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`error: liar \\(metadefender-vault\\): .*${message.source}`));
    const rows = Papa.parse<Record<string, string>>(readFileSync(out, 'utf8').slice(1), { header: true, delimiter: ',', newline: '\r\n', skipEmptyLines: true }).data;
    const ids = rows.filter((r) => r.instance === 'liar').map((r) => Number(r.key_id)).sort((a, b) => a - b);
    expect(new Set(ids).size).toBe(ids.length);
    checkIds(ids);
    expect(rows.filter((r) => r.instance === 'honest')).toHaveLength(8);
    // One request per real page (overlapping by one), a pool's worth past the end, the last entry and
    // the empty page; a list that seems to move is read once more: never a loop.
    const pages = Math.ceil(300 / ((options.maxCount ?? 50) - 1)) + 6 + 2;
    expect(liar.requests.length).toBeLessThanOrEqual(2 * pages);
  });
});
