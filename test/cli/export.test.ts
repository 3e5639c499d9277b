import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CSV_COLUMNS } from '../../lib/csv';
import { startMockFleet, type MockFleet } from '../mock-vendors/index';
import { builtBin, ROOT, runCli } from './run-cli';

let fleet: MockFleet;
let dir: string;
let configPath: string;
/** Every secret the demo config holds: none may ever reach stdout/stderr. */
let secrets: string[];

beforeAll(async () => {
  fleet = await startMockFleet();
  dir = mkdtempSync(join(tmpdir(), 'keyatlas-cli-'));
  configPath = join(dir, 'keyatlas.json');
  writeFileSync(configPath, JSON.stringify(fleet.config));
  secrets = fleet.config.instances.flatMap((i) => [i.apiKey, i.password].filter((s): s is string => typeof s === 'string'));
});
afterAll(() => fleet.close());
beforeEach(() => {
  for (const server of Object.values(fleet.servers)) server.clearFaults();
});

function rowsOf(csv: string): Record<string, string>[] {
  expect(csv.startsWith('\uFEFF')).toBe(true);
  const parsed = Papa.parse<Record<string, string>>(csv.slice(1), { header: true, newline: '\r\n', skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  expect(parsed.meta.fields).toEqual([...CSV_COLUMNS]);
  return parsed.data;
}

function expectNoSecrets(text: string): void {
  for (const secret of secrets) expect(text).not.toContain(secret);
}

describe('keyatlas export against the five mock consoles', () => {
  it('exports every vendor into one CSV, exit 0, summary on stderr', async () => {
    const out = join(dir, 'all.csv');
    const run = await runCli(['export', '--config', configPath, '--out', out]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    const rows = rowsOf(readFileSync(out, 'utf8'));
    const byVendor = (v: string) => rows.filter((r) => r.vendor === v);
    // The mocks' data: Core users with a key, one MDSS key, every XSOAR and Vault key, one Cloud key.
    expect(byVendor('metadefender-core').map((r) => r.owner).sort()).toEqual(
      ['7\\orphan', 'CORP\\jdoe', 'CORP\\Ωmega-ops', 'LOCAL\\admin', 'LOCAL\\scan-robot', 'LOCAL\\zoë.müller'].sort(),
    );
    expect(byVendor('metadefender-storage')).toHaveLength(1);
    expect(byVendor('metadefender-vault')).toHaveLength(8);
    expect(byVendor('cortex-xsoar').every((r) => r.key === '')).toBe(true);
    expect(byVendor('metadefender-cloud')[0]).toMatchObject({ owner: 'soc-team-prod', description: expect.stringMatching(/^paid \(licence until \d{4}-\d{2}-\d{2}\)$/) });
    for (const r of rows) expect(r.key === '' || /^(.{4}….{4}|\*{4})$/.test(r.key!)).toBe(true);
    expect(run.stderr).toMatch(/core-prod\s+metadefender-core\s+6\s+0\s+0\s+0\s+6\s+0\s+all users\s+ok/);
    expect(run.stderr).toContain(`Wrote ${rows.length} keys to ${out}`);
    expectNoSecrets(run.stderr + readFileSync(out, 'utf8'));
  });

  it('writes to stdout with --out -, full keys only on request, and filters by vendor, instance and expiry', async () => {
    const full = await runCli(['export', '--config', configPath, '--out', '-', '--keys', 'full', '--vendor', 'metadefender-core', '--quiet']);
    expect(full.code).toBe(0);
    expect(full.stderr).toBe('');
    expect(full.stdout).toContain('CORE-ADMIN-APIKEY-');
    expect(rowsOf(full.stdout).every((r) => r.vendor === 'metadefender-core')).toBe(true);

    const omit = await runCli(['export', '--config', configPath, '--out', '-', '--keys', 'omit', '--instance', 'vault']);
    expect(rowsOf(omit.stdout).map((r) => r.key)).toEqual(Array(8).fill(''));

    const soon = await runCli(['export', '--config', configPath, '--out', '-', '--expiring-within', '7']);
    const soonRows = rowsOf(soon.stdout);
    expect(soonRows.length).toBeGreaterThan(0);
    for (const r of soonRows) expect(r.status === 'expired' || Number(r.days_left) <= 7).toBe(true);
    expect(soonRows.some((r) => r.days_left === '')).toBe(false);
  });

  it('one failing instance: exit 1, named on stderr, every other row still written', async () => {
    fleet.servers['metadefender-vault'].fault({ kind: 'status', status: 500, json: { err: 'database is down' } });
    fleet.servers['metadefender-cloud'].fault({ kind: 'html-login' });
    const out = join(dir, 'partial.csv');
    const run = await runCli(['export', '--config', configPath, '--out', out]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/vault\s+metadefender-vault\s+0 .*FAILED/);
    expect(run.stderr).toContain('error: vault (metadefender-vault): GET /vault_rest/tokens/0/100 failed with HTTP 500: "database is down"');
    expect(run.stderr).toMatch(/error: cloud \(metadefender-cloud\): .*HTML page instead of JSON/);
    const rows = rowsOf(readFileSync(out, 'utf8'));
    expect(new Set(rows.map((r) => r.instance))).toEqual(new Set(['core-prod', 'mdss', 'xsoar']));
    expectNoSecrets(run.stderr);
  });

  it('a wrong key is named with the vendor error and never echoes the key', async () => {
    const bad = join(dir, 'bad-key.json');
    const wrongKey = 'WRONG-VAULT-KEY-0123456789abcdef';
    writeFileSync(bad, JSON.stringify({ instances: [{ name: 'vault', vendor: 'metadefender-vault', url: fleet.servers['metadefender-vault'].url, apiKey: wrongKey }] }));
    const run = await runCli(['summary', '--config', bad]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/error: vault \(metadefender-vault\): .*refused \(HTTP 403\)/);
    expect(run.stdout + run.stderr).not.toContain(wrongKey);
  });

  it('an output file that cannot be written is named, exit 1, no stack trace and no temp file left', async () => {
    const out = join(dir, 'no-such-folder', 'keys.csv');
    const run = await runCli(['export', '--config', configPath, '--out', out, '--keys', 'full']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`keyatlas: cannot write ${out} (ENOENT): nothing was saved`);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expectNoSecrets(run.stderr);
  });

  it('summary --json gives the contract buckets per instance', async () => {
    const run = await runCli(['summary', '--config', configPath, '--json']);
    expect(run.code).toBe(0);
    const rows = JSON.parse(run.stdout) as { instance: string; total: number; expired: number; within7: number; within30: number; never: number; error: null }[];
    expect(rows.map((r) => r.instance)).toEqual(['core-prod', 'mdss', 'xsoar', 'vault', 'cloud']);
    for (const r of rows) {
      expect(r.error).toBeNull();
      expect(r.within7).toBeLessThanOrEqual(r.within30);
      expect(r.expired + r.within30 + r.never).toBeLessThanOrEqual(r.total);
    }
    expect(rows.find((r) => r.instance === 'core-prod')).toMatchObject({ total: 6, never: 6, expired: 0 });
  });
});

describe('installable command', () => {
  it('the packed bin runs on plain Node from the built bundle, without tsx', () => {
    execFileSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: ROOT });
    const help = execFileSync(process.execPath, [join(ROOT, 'bin/keyatlas.mjs'), '--help'], { cwd: dir, encoding: 'utf8' });
    expect(help).toMatch(/^Usage:/);
    const packed = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' })) as [{ files: { path: string }[] }];
    const files = packed[0].files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(['bin/keyatlas.mjs', 'dist/cli/keyatlas.mjs', 'package.json', 'LICENSE', 'keyatlas.schema.json']));
    expect(files.some((f) => f.startsWith('dist/cli/chunks/'))).toBe(true);
    expect(files.some((f) => f.startsWith('test/') || f.startsWith('lib/'))).toBe(false);
  });

  it('--help and --version load none of the runtime dependencies (docs/benchmarks.md#budgets)', () => {
    const { dependencies } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    // The bundle of this run: built by scripts/build-cli.mjs as dist/cli is.
    const loaded = staticImports(join(builtBin(), '..', '..', 'dist/cli/keyatlas.mjs'));
    expect(loaded.some((file) => file.includes('/chunks/inventory-command'))).toBe(false);
    expect([...new Set(loaded.filter((spec) => !spec.startsWith('/') && !spec.startsWith('node:')))]).toEqual([]);
    expect(Object.keys(dependencies).length).toBeGreaterThan(0);
  });
});

/** Every module a bundle file loads before its code runs (static imports, recursively); dynamic import() is left out. */
function staticImports(file: string, seen = new Set<string>()): string[] {
  if (seen.has(file)) return [];
  seen.add(file);
  const specifiers = [...readFileSync(file, 'utf8').matchAll(/^(?:import|export)\s[^;]*?\sfrom\s*"([^"]+)"|^import\s*"([^"]+)"/gms)].map((m) => m[1] ?? m[2]!);
  return specifiers.flatMap((spec) => {
    if (!spec.startsWith('.')) return [spec];
    const resolved = join(file, '..', spec);
    return [resolved, ...staticImports(resolved, seen)];
  });
}
