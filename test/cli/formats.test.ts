import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { KeyRecord } from '../../lib/record';
import { startMockFleet, type MockFleet } from '../mock-vendors/index';
import { runCli } from './run-cli';

let fleet: MockFleet;
let dir: string;
let configPath: string;

beforeAll(async () => {
  fleet = await startMockFleet();
  dir = mkdtempSync(join(tmpdir(), 'keyatlas-cli-formats-'));
  configPath = join(dir, 'keyatlas.json');
  writeFileSync(configPath, JSON.stringify(fleet.config));
});
afterAll(() => fleet.close());
beforeEach(() => {
  for (const server of Object.values(fleet.servers)) server.clearFaults();
});

const csvRows = (csv: string) => Papa.parse<Record<string, string>>(csv.slice(1), { header: true, newline: '\r\n', skipEmptyLines: true }).data;
const ndjsonRecords = (text: string) => text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as KeyRecord);

describe('export --format json|ndjson (docs/contract.md#json-and-ndjson)', () => {
  it('the same records, order and masking as the CSV, as JSON values and without the formula guard', async () => {
    const exportAs = (format: string) => runCli(['export', '--config', configPath, '--out', '-', '--format', format, '--quiet']);
    const [csv, json, ndjson] = await Promise.all([exportAs('csv'), exportAs('json'), exportAs('ndjson')]);
    for (const run of [csv, json, ndjson]) expect(run.code).toBe(0);
    const rows = csvRows(csv.stdout);
    const records = JSON.parse(json.stdout) as KeyRecord[];
    expect(ndjsonRecords(ndjson.stdout)).toEqual(records);
    expect(ndjson.stdout.endsWith('}\n')).toBe(true);
    expect(records.map((r) => [r.instance, r.key_id, r.key, r.status, r.expires])).toEqual(rows.map((r) => [r.instance, r.key_id, r.key, r.status, r.expires]));
    expect(records.map((r) => r.days_left)).toEqual(rows.map((r) => (r.days_left === '' ? null : Number(r.days_left))));
    expect(records.map((r) => r.roles.join(';'))).toEqual(rows.map((r) => r.roles!.replace(/^'/, '')));
    // The 12 CSV columns first, then what --columns extended adds (and the owner's email and role).
    expect(Object.keys(records[0]!)).toEqual([
      'instance', 'vendor', 'owner', 'directory', 'key_id', 'key', 'description', 'roles', 'status', 'created', 'expires', 'days_left',
      'owner_state', 'owner_last_login', 'owner_email', 'owner_role', 'age_days', 'coverage',
    ]);
    for (const r of records) {
      expect(Array.isArray(r.roles)).toBe(true);
      expect(r.days_left === null || Number.isInteger(r.days_left)).toBe(true);
      expect(r.key === '' || /^(.{4}….{4}|\*{4})$/.test(r.key)).toBe(true);
    }
    // The CSV guards a vendor's formula for spreadsheets; JSON carries the text as the vendor sent it.
    expect(rows.find((r) => r.owner === 'LOCAL\\scan-robot')!.description).toMatch(/^'=HYPERLINK/);
    expect(records.find((r) => r.owner === 'LOCAL\\scan-robot')!.description).toMatch(/^=HYPERLINK/);
  });

  it('key modes apply to json and ndjson; a default file name takes the format as extension', async () => {
    const full = await runCli(['export', '--config', configPath, '--out', '-', '--format', 'ndjson', '--keys', 'full', '--vendor', 'metadefender-core', '--quiet']);
    expect(ndjsonRecords(full.stdout).map((r) => r.key)).toContain(fleet.config.instances[0]!.apiKey);
    const omit = await runCli(['export', '--config', configPath, '--out', '-', '--format', 'json', '--keys', 'omit', '--instance', 'vault', '--quiet']);
    expect((JSON.parse(omit.stdout) as KeyRecord[]).map((r) => r.key)).toEqual(Array(8).fill(''));

    const run = await runCli(['export', '--config', join(dir, 'keyatlas.json'), '--format', 'json', '--instance', 'vault'], { cwd: dir });
    expect(run.code).toBe(0);
    const file = run.stderr.match(/Wrote 8 keys to (keyatlas-\d{4}-\d{2}-\d{2}T\d{6}Z\.json)/)![1]!;
    expect(JSON.parse(readFileSync(join(dir, file), 'utf8'))).toHaveLength(8);
  });

  it('an empty selection is an empty array / no lines', async () => {
    const json = await runCli(['export', '--config', configPath, '--out', '-', '--format', 'json', '--vendor', 'metadefender-core', '--expiring-within', '0', '--quiet']);
    expect(JSON.parse(json.stdout)).toEqual([]);
    const ndjson = await runCli(['export', '--config', configPath, '--out', '-', '--format', 'ndjson', '--vendor', 'metadefender-core', '--expiring-within', '0', '--quiet']);
    expect(ndjson.stdout).toBe('');
  });
});

describe('--fail-on-expiring DAYS: exit 3, precedence 2 > 1 > 3 > 0', () => {
  it('exit 3 exactly when a key read is expired or expires within DAYS', async () => {
    const cloud = JSON.parse((await runCli(['export', '--config', configPath, '--out', '-', '--format', 'json', '--instance', 'cloud', '--quiet'])).stdout) as KeyRecord[];
    const daysLeft = cloud[0]!.days_left!;
    expect(daysLeft).toBeGreaterThan(0);
    const gate = (days: number) => runCli(['summary', '--config', configPath, '--instance', 'cloud', '--fail-on-expiring', String(days)]);
    const [atDays, dayBefore] = await Promise.all([gate(daysLeft), gate(daysLeft - 1)]);
    expect(atDays.code).toBe(3);
    expect(dayBefore.code).toBe(0);
  });

  it('export gates the same way and still writes the whole file', async () => {
    const out = join(dir, 'gate.csv');
    const run = await runCli(['export', '--config', configPath, '--out', out, '--fail-on-expiring', '0', '--quiet']);
    expect(run.code).toBe(3); // Vault and XSOAR hold expired keys
    expect(csvRows(readFileSync(out, 'utf8')).length).toBeGreaterThan(20);
    // Core keys never expire: nothing to gate on.
    expect((await runCli(['export', '--config', configPath, '--out', '-', '--vendor', 'metadefender-core', '--fail-on-expiring', '3650', '--quiet'])).code).toBe(0);
  });

  it('--expiring-within narrows the file, not what the gate sees', async () => {
    const run = await runCli(['export', '--config', configPath, '--out', '-', '--format', 'json', '--instance', 'cloud', '--expiring-within', '0', '--fail-on-expiring', '365', '--quiet']);
    expect(JSON.parse(run.stdout)).toEqual([]);
    expect(run.code).toBe(3);
  });

  it('a failed instance (1) outranks expiring keys (3); a usage error (2) outranks both', async () => {
    fleet.servers['cortex-xsoar'].fault({ kind: 'status', status: 500, json: { reply: { err_code: 500, err_msg: 'boom' } } });
    const run = await runCli(['summary', '--config', configPath, '--fail-on-expiring', '30']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/error: xsoar \(cortex-xsoar\)/);
    const usage = await runCli(['summary', '--config', configPath, '--fail-on-expiring', 'soon']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--fail-on-expiring must be a whole number ≥ 0, not "soon"');
  });
});

describe('summary --json', () => {
  it('carries each instance\'s warnings array', async () => {
    const run = await runCli(['summary', '--config', configPath, '--json']);
    const rows = JSON.parse(run.stdout) as { instance: string; warnings: string[] }[];
    expect(rows.map((r) => [r.instance, r.warnings])).toEqual(['core-prod', 'mdss', 'xsoar', 'vault', 'cloud'].map((name) => [name, []]));
  });
});

describe('plain http to another machine (docs/contract.md#output-and-warnings)', () => {
  // A non-loopback address of this machine, forwarded to the loopback-only mock: the CLI sees a remote http URL.
  const address = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
  let proxy: Server;
  beforeAll(async () => {
    if (!address) return;
    const target = new URL(fleet.servers['metadefender-core'].url);
    proxy = createServer((client) => {
      const upstream = connect(Number(target.port), target.hostname);
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, address, resolve));
  });
  afterAll(() => proxy?.close());

  it.skipIf(!address)('one warning line per such instance; it still runs and the exit code is unchanged', async () => {
    const port = (proxy.address() as { port: number }).port;
    const config = join(dir, 'cleartext.json');
    const core = fleet.config.instances[0]!;
    writeFileSync(config, JSON.stringify({ instances: [{ ...core, name: 'core-remote', url: `http://${address}:${port}` }, core] }));
    const run = await runCli(['summary', '--config', config, '--quiet']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(`warning: core-remote: http://${address}:${port} is plain http to another machine: its credentials and keys travel in clear text (use https)\n`);
    // One line for the remote instance, none for the loopback one, and the remote one was read.
    expect(run.stdout).toMatch(/core-remote\s+metadefender-core\s+6\s.*ok/);
  });
});
