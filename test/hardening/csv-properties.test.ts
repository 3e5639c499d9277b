import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, maskKey, toCsv } from '../../lib/csv';
import type { KeyMode } from '../../lib/key-mode';
import { sortRecords, type KeyRecord } from '../../lib/record';
import { VENDOR_IDS } from '../../lib/vendors';

/** docs/contract.md#formula-guard: what a spreadsheet could run as a formula. */
const TRIGGER = /^[=+\-@\t\r\n\0]/;
const TRIGGERS = ['=', '+', '-', '@', '\t', '\r', '\n', '\0'];
/** Free-text columns (docs/contract.md#formula-guard) by index in CSV_COLUMNS. */
const FREE_TEXT = ['instance', 'owner', 'directory', 'description', 'roles'].map((c) => CSV_COLUMNS.indexOf(c as (typeof CSV_COLUMNS)[number]));
const col = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);
const PLAIN_NUMBER = /^-?\d+$/;

const anyText = fc.string({ unit: 'binary', maxLength: 20 });
/** Text that often starts with a trigger or with what CSV quoting must handle. */
const risky = fc.oneof(
  anyText,
  fc.tuple(fc.constantFrom(...TRIGGERS, '"', ',', "'", ' ', '\uFEFF', '\r\n'), anyText).map(([head, tail]) => head + tail),
);
const isoOrEmpty = fc.oneof(
  fc.constant(''),
  fc.date({ min: new Date(0), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }).map((d) => d.toISOString()),
);

const record: fc.Arbitrary<KeyRecord> = fc.record({
  instance: risky,
  vendor: fc.constantFrom(...VENDOR_IDS),
  owner: risky,
  directory: risky,
  key_id: fc.oneof(fc.integer().map(String), risky),
  key: fc.oneof(fc.constant(''), risky, fc.string({ unit: 'grapheme-ascii', minLength: 12, maxLength: 64 })),
  description: risky,
  roles: fc.array(risky, { maxLength: 3 }),
  status: fc.constantFrom('active', 'expired'),
  created: isoOrEmpty,
  expires: isoOrEmpty,
  days_left: fc.option(fc.integer({ min: -3_000_000, max: 3_000_000 }), { nil: null }),
  owner_state: fc.constantFrom('active', 'inactive', 'orphaned', ''),
  owner_last_login: isoOrEmpty,
  owner_email: risky,
  owner_role: risky,
  age_days: fc.option(fc.nat(), { nil: null }),
  coverage: fc.constantFrom('all users', 'tenant', 'own + system-level tokens', 'own key', 'this key'),
});
const mode = fc.constantFrom<KeyMode>('masked', 'full', 'omit');

const guarded = (text: string) => (TRIGGER.test(text) ? `'${text}` : text);

/** Line breaks between records must be CRLF; a bare CR or LF may only sit inside a quoted cell. */
function bareLineBreaks(csv: string): number {
  let inQuotes = false;
  let bare = 0;
  for (let i = 0; i < csv.length; i++) {
    const c = csv[i];
    if (c === '"') inQuotes = !inQuotes;
    else if (!inQuotes && c === '\r' && csv[i + 1] !== '\n') bare++;
    else if (!inQuotes && c === '\n' && csv[i - 1] !== '\r') bare++;
  }
  return bare;
}

function parse(csv: string): string[][] {
  // The delimiter is given: papaparse would otherwise guess one from the data (tabs, semicolons…).
  const result = Papa.parse<string[]>(csv.slice(1, -2), { delimiter: ',', newline: '\r\n', quoteChar: '"' });
  expect(result.errors).toEqual([]);
  return result.data;
}

describe('CSV export (docs/contract.md#csv-format) for any text', () => {
  it('round-trips every cell through papaparse, changed only by the leading quote on formula triggers', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 25 }), mode, (records, keys) => {
        const csv = toCsv(records, { keys });
        expect(csv.startsWith(`\uFEFF${CSV_COLUMNS.join(',')}\r\n`)).toBe(true);
        expect(csv.endsWith('\r\n')).toBe(true);
        expect(bareLineBreaks(csv)).toBe(0);
        const [header, ...rows] = parse(csv);
        expect(header).toEqual([...CSV_COLUMNS]);
        const expected = sortRecords(records);
        expect(rows).toHaveLength(expected.length);
        rows.forEach((row, i) => {
          const r = expected[i]!;
          expect(row).toEqual([
            guarded(r.instance),
            r.vendor,
            guarded(r.owner),
            guarded(r.directory),
            PLAIN_NUMBER.test(r.key_id) ? r.key_id : guarded(r.key_id),
            guarded(maskKey(r.key, keys)),
            guarded(r.description),
            guarded(r.roles.join(';')),
            r.status,
            r.created,
            r.expires,
            r.days_left === null ? '' : String(r.days_left),
          ]);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('never starts a vendor-controlled cell with a formula trigger, the key included, except numbers', () => {
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 25 }), mode, (records, keys) => {
        for (const row of parse(toCsv(records, { keys })).slice(1)) {
          for (const i of FREE_TEXT) expect(TRIGGER.test(row[i]!), `${CSV_COLUMNS[i]} = ${JSON.stringify(row[i])}`).toBe(false);
          row.forEach((cell, i) => {
            if (!TRIGGER.test(cell)) return;
            // A negative day count or numeric id is a number to a spreadsheet.
            const allowed = (i === col('days_left') || i === col('key_id')) && PLAIN_NUMBER.test(cell);
            expect(allowed, `${CSV_COLUMNS[i]} = ${JSON.stringify(cell)}`).toBe(true);
          });
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never writes more than 8 characters of a key in masked mode, none in omit mode', () => {
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 10 }), fc.constantFrom<KeyMode>('masked', 'omit'), (records, keys) => {
        const expected = sortRecords(records);
        parse(toCsv(records, { keys }))
          .slice(1)
          .forEach((row, i) => {
            const key = expected[i]!.key;
            // The formula guard's quote is not a key character: a masked key starts as the key does.
            const guarded = keys === 'masked' && key.length >= 12 && TRIGGER.test(key);
            const cell = guarded ? row[col('key')]!.slice(1) : row[col('key')]!;
            if (keys === 'omit' || !key) expect(cell).toBe('');
            else if (key.length < 12) expect(cell).toBe('****');
            else expect([cell.length, cell[4]]).toEqual([9, '…']);
          });
      }),
      { numRuns: 200 },
    );
  });
});
