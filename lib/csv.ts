import Papa from 'papaparse';
import { sortRecords, type KeyRecord } from './record';
import type { KeyMode } from './key-mode';
import { utcDate } from './utc-date';

export const CSV_COLUMNS = [
  'instance',
  'vendor',
  'owner',
  'directory',
  'key_id',
  'key',
  'description',
  'roles',
  'status',
  'created',
  'expires',
  'days_left',
] as const;

/** `--columns extended` (docs/contract.md, "CSV and JSON formats"): appended after the standard columns, whose header never changes. */
export const EXTENDED_COLUMNS = ['owner_state', 'owner_last_login', 'age_days', 'coverage'] as const;

export type CsvColumns = 'standard' | 'extended';

// Vendor-controlled text that a spreadsheet could run as a formula (OWASP CSV injection), the key
// included (a hostile server chooses it too). Numbers and dates are ours and never altered.
// One character code, not a regex: it runs on eight cells of every row (docs/benchmarks.md#budgets: toCsv ≤ 1.2 × papaparse).
function startsFormula(code: number): boolean {
  switch (code) {
    case 0x3d: // =
    case 0x2b: // +
    case 0x2d: // -
    case 0x40: // @
    case 0x09:
    case 0x0d:
    case 0x0a:
    case 0x00:
      return true;
    default:
      return false;
  }
}

export const guard = (text: string): string => (startsFormula(text.charCodeAt(0)) ? `'${text}` : text);

/** The cell as the vendor sent it: `keyatlas diff` reads exports back and compares values, not guards. */
export const unguard = (cell: string): string => (cell.charCodeAt(0) === 0x27 && startsFormula(cell.charCodeAt(1)) ? cell.slice(1) : cell);

// Every vendor's schema accepts text ids, so a hostile console could send a formula as a key id;
// a numeric id (even a negative one) is a number to a spreadsheet and stays as it is.
const guardId = (id: string) => (/^-?\d+$/.test(id) ? id : guard(id));

export function maskKey(key: string, mode: KeyMode): string {
  if (mode === 'omit' || !key) return '';
  if (mode === 'full') return key;
  return key.length >= 12 ? `${key.slice(0, 4)}…${key.slice(-4)}` : '****';
}

export const CRLF = '\r\n';
/** Rows per papaparse call: bounds the row arrays and text alive at once. */
const CHUNK_ROWS = 2_000;

/** One record's cells as docs/contract.md#csv-format writes them: key mode and formula guard applied. */
export function csvCells(r: KeyRecord, keys: KeyMode): string[] {
  return [
    guard(r.instance),
    r.vendor,
    guard(r.owner),
    guard(r.directory),
    guardId(r.key_id),
    guard(maskKey(r.key, keys)),
    guard(r.description),
    guard(r.roles.join(';')),
    r.status,
    r.created,
    r.expires,
    r.days_left === null ? '' : String(r.days_left),
  ];
}

/** The extended columns' cells: the owner's state and last login, the key's age, what the credential could see. */
export function extendedCells(r: KeyRecord): string[] {
  return [r.owner_state, r.owner_last_login, r.age_days === null ? '' : String(r.age_days), r.coverage];
}

/** docs/contract.md#csv-format: header, row order, key mode, formula guard; RFC 4180 with CRLF, UTF-8 BOM for Excel. */
export function toCsv(records: readonly KeyRecord[], { keys, columns = 'standard' }: { keys: KeyMode; columns?: CsvColumns }): string {
  const row = columns === 'extended' ? (r: KeyRecord) => [...csvCells(r, keys), ...extendedCells(r)] : (r: KeyRecord) => csvCells(r, keys);
  const header = columns === 'extended' ? [...CSV_COLUMNS, ...EXTENDED_COLUMNS] : [...CSV_COLUMNS];
  const sorted = sortRecords(records);
  // The header goes in as a row: with `fields`, papaparse lists every row's keys to spot empty rows.
  const parts = ['\uFEFF' + Papa.unparse([header], { newline: CRLF })];
  for (let start = 0; start < sorted.length; start += CHUNK_ROWS)
    parts.push(flatten(Papa.unparse(sorted.slice(start, start + CHUNK_ROWS).map(row), { newline: CRLF })));
  parts.push('');
  return parts.join(CRLF);
}

/**
 * papaparse grows its text with `+=`, which V8 keeps as a rope: about two 32-byte nodes per cell,
 * 75 MB for 100,000 rows, all alive until the end. Reading one character flattens a rope in place,
 * so each chunk's nodes die young instead (docs/benchmarks.md#budgets: peak heap for 100,000 records ≤ 150 MB).
 */
function flatten(text: string): string {
  text.charCodeAt(0);
  return text;
}

/** `keyatlas-<scope>-<YYYY-MM-DD>.csv` with the UTC date; the scope is made safe for any file system. */
export function csvFileName(scope: string, now: Date): string {
  const safe = scope.replace(/[^\p{L}\p{N}._-]+/gu, '_').replace(/^[._]+/, '') || 'instance';
  return `keyatlas-${safe}-${utcDate(now)}.csv`;
}
