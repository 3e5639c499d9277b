import Papa from 'papaparse';
import { compareRecords, type KeyRecord } from './record';

export type KeyMode = 'masked' | 'full' | 'omit';

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

// Vendor-controlled text that a spreadsheet could run as a formula (OWASP CSV injection).
// Numbers and dates are ours and never altered.
const FORMULA_TRIGGER = /^[=+\-@\t\r\n\0]/;
const guard = (text: string) => (FORMULA_TRIGGER.test(text) ? `'${text}` : text);

export function maskKey(key: string, mode: KeyMode): string {
  if (mode === 'omit' || !key) return '';
  if (mode === 'full') return key;
  return key.length >= 12 ? `${key.slice(0, 4)}…${key.slice(-4)}` : '****';
}

/** SPEC §2: header, row order, key mode, formula guard; RFC 4180 with CRLF, UTF-8 BOM for Excel. */
export function toCsv(records: readonly KeyRecord[], { keys }: { keys: KeyMode }): string {
  const rows = [...records].sort(compareRecords).map((r) => [
    guard(r.instance),
    r.vendor,
    guard(r.owner),
    guard(r.directory),
    r.key_id,
    maskKey(r.key, keys),
    guard(r.description),
    guard(r.roles.join(';')),
    r.status,
    r.created,
    r.expires,
    r.days_left === null ? '' : String(r.days_left),
  ]);
  return '\uFEFF' + Papa.unparse({ fields: [...CSV_COLUMNS], data: rows }, { newline: '\r\n' }) + '\r\n';
}

/** `keyatlas-<scope>-<YYYY-MM-DD>.csv` with the UTC date; the scope is made safe for any file system. */
export function csvFileName(scope: string, now: Date): string {
  const safe = scope.replace(/[^\p{L}\p{N}._-]+/gu, '_').replace(/^[._]+/, '') || 'instance';
  return `keyatlas-${safe}-${now.toISOString().slice(0, 10)}.csv`;
}
