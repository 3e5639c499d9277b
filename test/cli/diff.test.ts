import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { CSV_COLUMNS, toCsv } from '../../lib/csv';
import { finishRecord, type KeyRecord, type RecordFields } from '../../lib/record';
import { runCli } from './run-cli';

const NOW = new Date('2026-11-29T12:00:00.000Z');
const SECRET = 'a1b2c3d4e5f6a7b8c9d0';

function rec(fields: Partial<RecordFields> & Pick<RecordFields, 'instance' | 'vendor' | 'owner'>): KeyRecord {
  return finishRecord({ directory: '', key_id: '', key: SECRET, description: '', roles: [], created: '', expires: '', ...fields }, NOW);
}

const vaultOld = rec({ instance: 'vault-hq', vendor: 'metadefender-vault', owner: 'alice', key_id: '11', description: 'Nightly backup', expires: '2026-12-05T00:00:00.000Z' });
const vaultGone = rec({ instance: 'vault-hq', vendor: 'metadefender-vault', owner: 'bob', key_id: '12', description: '=HYPERLINK("x")', expires: '2027-01-01T00:00:00.000Z' });
const coreUser = rec({ instance: 'core', vendor: 'metadefender-core', owner: 'LOCAL\\admin', directory: 'LOCAL' });
const before = [vaultOld, vaultGone, coreUser];
const after = [
  { ...vaultOld, expires: '2027-12-05T00:00:00.000Z' },
  coreUser,
  rec({ instance: 'xsoar', vendor: 'cortex-xsoar', owner: 'eve', key_id: '2841', description: 'SOAR sync', expires: '2027-03-01T00:00:00.000Z' }),
];

let dir: string;
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'keyatlas-diff-'));
});

describe('keyatlas diff', () => {
  it('lists added, removed and renewed keys between two masked exports as a table', async () => {
    const run = await runCli(['diff', file('old.csv', toCsv(before, { keys: 'masked' })), file('new.csv', toCsv(after, { keys: 'masked' }))]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('added     xsoar  eve  #2841  "SOAR sync"  expires 2027-03-01T00:00:00.000Z');
    expect(run.stdout).toContain('removed   vault-hq  bob  #12');
    expect(run.stdout).toContain('expiry    vault-hq  alice  #11  "Nightly backup"  2026-12-05T00:00:00.000Z → 2027-12-05T00:00:00.000Z');
    expect(run.stdout).toContain('1 added, 1 removed, 1 expiry changed');
    expect(run.stdout).not.toContain('core');
  });

  it('reads full and omitted key modes alike and writes json', async () => {
    const run = await runCli(['diff', file('full.csv', toCsv(before, { keys: 'full' })), file('omit.csv', toCsv(after, { keys: 'omit' })), '--format', 'json']);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json.added.map((r: { key_id: string }) => r.key_id)).toEqual(['2841']);
    // The CSV's formula guard is taken off: the value is what the vendor sent.
    expect(json.removed[0].description).toBe('=HYPERLINK("x")');
    expect(json.expiryChanged[0].before.expires).toBe('2026-12-05T00:00:00.000Z');
    expect(run.stdout).not.toContain(SECRET);
  });

  it('writes a guarded csv', async () => {
    const run = await runCli(['diff', file('a.csv', toCsv(before, { keys: 'masked' })), file('b.csv', toCsv(after, { keys: 'masked' })), '--format', 'csv']);
    expect(run.code).toBe(0);
    const rows = Papa.parse<Record<string, string>>(run.stdout.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true }).data;
    expect(rows.map((r) => r.change)).toEqual(['added', 'removed', 'expiry-changed']);
    expect(rows[1]!.description).toBe(`'=HYPERLINK("x")`);
  });

  it('guards every cell of its csv: a formula trigger planted in each column of an export comes out inert', async () => {
    const header = CSV_COLUMNS.join(',');
    const hostile = { instance: '=cmd|\' /C calc\'!A0', vendor: '+SUM(1,2)', owner: '@owner', directory: '', key_id: '-2+3', key: '', description: '=HYPERLINK("x")', roles: '', status: 'active', created: '', expires: '2027-01-01T00:00:00.000Z', days_left: '33' };
    const text = '\uFEFF' + Papa.unparse({ fields: [...CSV_COLUMNS], data: [CSV_COLUMNS.map((c) => hostile[c])] }, { newline: '\r\n' }) + '\r\n';
    expect(text.split('\r\n')[0]).toBe(`\uFEFF${header}`);
    const run = await runCli(['diff', file('empty.csv', toCsv([], { keys: 'masked' })), file('hostile.csv', text), '--format', 'csv']);
    expect(run.code).toBe(0);
    const [, ...rows] = Papa.parse<string[]>(run.stdout.replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toEqual(['added', `'${hostile.instance}`, `'${hostile.vendor}`, `'${hostile.owner}`, `'${hostile.key_id}`, `'${hostile.description}`, '', hostile.expires, '']);
  });

  it('reads expiry dates strictly: a formula that Date.parse would take for a date is refused', async () => {
    // V8 reads this as 1 January 2001.
    const formula = "=1 (cmd|' /C calc'!A0)";
    expect(Number.isNaN(Date.parse(formula))).toBe(false);
    const good = file('good-dates.csv', toCsv(before, { keys: 'masked' }));
    const planted = file('planted-date.csv', toCsv(before, { keys: 'masked' }).replace('2027-01-01T00:00:00.000Z', `"${formula.replace(/"/g, '""')}"`));
    const run = await runCli(['diff', good, planted, '--format', 'csv']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('is not an ISO 8601 date');
  });

  it('a file that is not a KeyAtlas CSV is exit 2 naming the file and line', async () => {
    const good = file('good.csv', toCsv(before, { keys: 'masked' }));
    const other = file('other.csv', 'name,email\r\nalice,a@example\r\n');
    let run = await runCli(['diff', good, other]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${other}: line 1: not a KeyAtlas CSV`);
    const damaged = file('damaged.csv', toCsv(before, { keys: 'masked' }).replace('2027-01-01T00:00:00.000Z', 'soon'));
    run = await runCli(['diff', damaged, good]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`${damaged.replace(/[.\\/]/g, '\\$&')}: line \\d+: expires "soon" is not an ISO 8601 date`));
    run = await runCli(['diff', good, join(dir, 'missing.csv')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('missing.csv: cannot read the file (ENOENT)');
  });

  it('reports owner changes, and keys that became orphaned between two extended exports', async () => {
    const owned = (fields: Partial<KeyRecord>) => ({ ...rec({ instance: 'xsiam', vendor: 'cortex-xsiam', owner: 'dana@t.example', key_id: '102', created: '2025-01-01T00:00:00.000Z' }), ...fields });
    const old = [owned({ owner_state: 'inactive' }), owned({ key_id: '103', owner: 'eve@t.example', owner_state: 'active' }), owned({ key_id: '104', owner_state: 'orphaned' })];
    const now = [owned({ owner_state: 'orphaned' }), owned({ key_id: '103', owner: 'sam@t.example', owner_state: 'active' }), owned({ key_id: '104', owner_state: 'orphaned' })];
    const a = file('owners-old.csv', toCsv(old, { keys: 'masked', columns: 'extended' }));
    const b = file('owners-new.csv', toCsv(now, { keys: 'masked', columns: 'extended' }));
    const table = await runCli(['diff', a, b]);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('owner     xsiam  sam@t.example  #103  owner eve@t.example → sam@t.example');
    // Orphaned before and after is no news; a key that lost its owner since is.
    expect(table.stdout).toContain('orphaned  xsiam  dana@t.example  #102  owner no longer in the user list (was inactive)');
    expect(table.stdout).not.toContain('#104');
    expect(table.stdout).toContain('0 added, 0 removed, 0 expiry changed, 1 owner changed, 1 became orphaned');
    const json = JSON.parse((await runCli(['diff', a, b, '--format', 'json'])).stdout);
    expect(json.orphaned.map((c: { after: { key_id: string } }) => c.after.key_id)).toEqual(['102']);
    const rows = Papa.parse<Record<string, string>>((await runCli(['diff', a, b, '--format', 'csv'])).stdout.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true }).data;
    expect(rows.map((r) => [r.change, r.owner, r.owner_before])).toEqual([
      ['owner-changed', 'sam@t.example', 'eve@t.example'],
      ['orphaned', 'dana@t.example', 'dana@t.example'],
    ]);
    // An owner name is vendor text: its control characters reach no terminal.
    const hostileOld = [owned({ key_id: '103', owner: 'eve\u001b]0;pwned\u0007', owner_state: 'active' })];
    const escaped = await runCli(['diff', file('owners-hostile.csv', toCsv(hostileOld, { keys: 'masked', columns: 'extended' })), b]);
    expect(escaped.stdout).toContain('owner     xsiam  sam@t.example  #103  owner eve');
    expect(escaped.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    // A standard export says nothing of owner states: against it, nothing "became" orphaned, owners still compare.
    const standard = await runCli(['diff', file('owners-std.csv', toCsv(old, { keys: 'masked' })), b]);
    expect(standard.stdout).toContain('1 owner changed, 0 became orphaned');
  });

  it('usage errors are exit 2', async () => {
    expect((await runCli(['diff', 'only-one.csv'])).code).toBe(2);
    expect((await runCli(['diff', 'a.csv', 'b.csv', '--format', 'xml'])).code).toBe(2);
  });
});
