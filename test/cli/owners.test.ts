import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CSV_COLUMNS } from '../../lib/csv';
import type { KeyRecord } from '../../lib/record';
import type { InstanceSummary } from '../../lib/report';
import { XSOAR_ADVANCED_KEY, XSOAR_ADVANCED_KEY_ID, XSOAR_API_KEY, XSOAR_API_KEY_ID } from '../mock-vendors/cortex-xsoar';
import { startXdrMock } from '../mock-vendors/cortex-xdr';
import { startXsiamMock } from '../mock-vendors/cortex-xsiam';
import { CORE_ADMIN_KEY, startCoreMock } from '../mock-vendors/metadefender-core';
import type { MockServer } from '../mock-vendors/server';
import { runCli } from './run-cli';

/**
 * Whose key, still here, how old (docs/owners.md) through the real command line: an XSIAM and an
 * XDR tenant with their user lists, a Core instance with its role list, a rotation policy of 365 days.
 */
let servers: Record<'xsiam' | 'xdr' | 'core', MockServer>;
let dir: string;
let config: string;

const instances = () => [
  { name: 'xsiam', vendor: 'cortex-xsiam', url: servers.xsiam.url, apiKey: XSOAR_API_KEY, apiKeyId: XSOAR_API_KEY_ID },
  { name: 'xdr', vendor: 'cortex-xdr', url: servers.xdr.url, apiKey: XSOAR_ADVANCED_KEY, apiKeyId: XSOAR_ADVANCED_KEY_ID, securityLevel: 'advanced' },
  { name: 'core', vendor: 'metadefender-core', url: servers.core.url, apiKey: CORE_ADMIN_KEY },
];

function writeConfig(name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

beforeAll(async () => {
  const [xsiam, xdr, core] = await Promise.all([startXsiamMock(), startXdrMock(), startCoreMock()]);
  servers = { xsiam, xdr, core };
  dir = mkdtempSync(join(tmpdir(), 'keyatlas-cli-owners-'));
  config = writeConfig('keyatlas.json', { maxKeyAgeDays: 365, instances: instances() });
});
afterAll(() => Promise.all(Object.values(servers).map((s) => s.close())));
beforeEach(() => {
  for (const server of Object.values(servers)) server.clearFaults();
});

const csv = (text: string) => Papa.parse<string[]>(text.slice(1), { newline: '\r\n', skipEmptyLines: true }).data;

describe('export --columns extended', () => {
  it('appends owner_state, owner_last_login, age_days, coverage after the 12 standard columns; the default header stays', async () => {
    const [standard, extended] = await Promise.all([
      runCli(['export', '--config', config, '--out', '-', '--quiet']),
      runCli(['export', '--config', config, '--out', '-', '--quiet', '--columns', 'extended']),
    ]);
    expect(standard.code).toBe(0);
    expect(csv(standard.stdout)[0]).toEqual([...CSV_COLUMNS]);
    expect(extended.code).toBe(0);
    const [header, ...rows] = csv(extended.stdout);
    expect(header).toEqual([...CSV_COLUMNS, 'owner_state', 'owner_last_login', 'age_days', 'coverage']);
    const byKey = Object.fromEntries(rows.map((r) => [`${r[0]}/${r[4]}`, r.slice(12)]));
    expect(byKey['xsiam/101']).toEqual(['active', expect.stringMatching(/^\d{4}-\d\d-\d\dT/), '20', 'tenant']);
    expect(byKey['xsiam/102']).toEqual(['inactive', expect.stringMatching(/^\d{4}-/), '500', 'tenant']);
    expect(byKey['xsiam/103']).toEqual(['inactive', '', '10', 'tenant']);
    expect(byKey['xsiam/104']).toEqual(['orphaned', '', '700', 'tenant']);
    expect(byKey['xdr/10']).toEqual(['orphaned', '', '1000', 'tenant']);
    // Core has no user list and no creation date: empty, and its coverage is every user.
    expect(byKey['core/1']).toEqual(['', '', '', 'all users']);
    // The same rows in the same order as the default export.
    expect(rows.map((r) => r.slice(0, 12))).toEqual(csv(standard.stdout).slice(1));
    // Core roles are written by their display names.
    expect(rows.find((r) => r[0] === 'core' && r[4] === '5')![7]).toBe('Administrators;Security administrators');
  });

  it('json and ndjson always carry the owner fields, age and coverage', async () => {
    const run = await runCli(['export', '--config', config, '--out', '-', '--format', 'ndjson', '--quiet', '--instance', 'xdr']);
    const records = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as KeyRecord);
    expect(records.find((r) => r.key_id === '7')).toMatchObject({ owner_state: 'active', owner_email: 'ops@xdr.example', owner_role: 'Responder', age_days: 400, coverage: 'tenant' });
    expect(records.find((r) => r.key_id === '9')).toMatchObject({ owner_state: 'inactive', owner_last_login: '', owner_role: '' });
  });

  it('--columns is checked, and belongs to export', async () => {
    const bad = await runCli(['export', '--config', config, '--columns', 'all']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--columns must be standard or extended, not "all"');
    expect((await runCli(['summary', '--config', config, '--columns', 'extended'])).code).toBe(2);
  });
});

describe('summary: coverage, orphaned, older_than', () => {
  it('counts per instance, against the config policy (365 days)', async () => {
    const run = await runCli(['summary', '--config', config, '--json']);
    expect(run.code).toBe(0);
    const rows = JSON.parse(run.stdout) as InstanceSummary[];
    expect(rows.map((r) => [r.instance, r.coverage, r.orphaned, r.older_than, r.warnings])).toEqual([
      ['xsiam', 'tenant', 2, 2, []],
      ['xdr', 'tenant', 1, 2, []],
      ['core', 'all users', 0, 0, []],
    ]);
  });

  it('the table names the policy; without one there is no older_than at all', async () => {
    const table = await runCli(['summary', '--config', config]);
    expect(table.stdout.split('\n')[0]).toMatch(/never\s+orphaned\s+>365 days old\s+coverage\s+status$/);
    expect(table.stdout).toMatch(/^xsiam\s+cortex-xsiam\s+5\s+0\s+1\s+1\s+2\s+2\s+2\s+tenant\s+ok$/m);
    const plain = await runCli(['summary', '--config', writeConfig('no-policy.json', { instances: instances() }), '--json', '--instance', 'xdr']);
    expect(JSON.parse(plain.stdout)[0]).not.toHaveProperty('older_than');
  });

  it('a bad maxKeyAgeDays is a configuration error: exit 2, nothing sent', async () => {
    for (const server of Object.values(servers)) server.resetStats();
    const run = await runCli(['summary', '--config', writeConfig('bad.json', { maxKeyAgeDays: 0, instances: instances() })]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('maxKeyAgeDays: must be at least 1 day');
    expect(Object.values(servers).every((s) => s.requests.length === 0)).toBe(true);
  });
});

describe('--fail-on-older-than DAYS: exit 3 like --fail-on-expiring, precedence 2 > 1 > 3 > 0', () => {
  it('3 exactly when a key read is older than DAYS', async () => {
    // XDR's oldest key is 1000 days old.
    const gate = (days: number) => runCli(['summary', '--config', config, '--instance', 'xdr', '--fail-on-older-than', String(days), '--quiet']);
    const [older, atAge] = await Promise.all([gate(999), gate(1000)]);
    expect(older.code).toBe(3);
    expect(atAge.code).toBe(0);
  });

  it('export gates the same way, writes the whole file, and keys of unknown age never match', async () => {
    const run = await runCli(['export', '--config', config, '--out', '-', '--quiet', '--fail-on-older-than', '0', '--instance', 'core']);
    expect(run.code).toBe(0);
    expect(csv(run.stdout)).toHaveLength(7);
    expect((await runCli(['export', '--config', config, '--out', '-', '--quiet', '--fail-on-older-than', '30'])).code).toBe(3);
  });

  it('a failed instance (1) outranks old keys (3); a usage error (2) outranks both', async () => {
    servers.core.fault({ kind: 'status', status: 500, json: { err: 'boom' } });
    const failed = await runCli(['summary', '--config', config, '--fail-on-older-than', '30', '--fail-on-expiring', '3650']);
    expect(failed.code).toBe(1);
    const usage = await runCli(['summary', '--config', config, '--fail-on-older-than', 'old']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--fail-on-older-than must be a whole number ≥ 0, not "old"');
  });
});
