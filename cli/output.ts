import { maskKey, toCsv, type CsvColumns } from '../lib/csv';
import type { KeyMode } from '../lib/key-mode';
import { olderThan } from '../lib/owners';
import { sortRecords, type KeyRecord } from '../lib/record';
import type { OutputFormat } from './args';

/** docs/contract.md#json-and-ndjson: the CSV's records, order and key modes as JSON values (roles an array, days_left a number or null). */
export function formatRecords(records: readonly KeyRecord[], format: OutputFormat, keys: KeyMode, columns: CsvColumns = 'standard'): string {
  if (format === 'csv') return toCsv(records, { keys, columns });
  // No formula guard: JSON is read by programs, never run as a spreadsheet formula.
  const values = sortRecords(records).map((r) => JSON.stringify({ ...r, key: maskKey(r.key, keys) }));
  if (format === 'ndjson') return values.map((line) => line + '\n').join('');
  return values.length ? `[\n${values.join(',\n')}\n]\n` : '[]\n';
}

/** A record that is expired or expires within `days` days: what --expiring-within keeps and --fail-on-expiring gates on. */
export const expiresWithin = (r: KeyRecord, days: number) => r.status === 'expired' || (r.days_left !== null && r.days_left <= days);

/** A record older than `days` days: what --fail-on-older-than gates on and summary's `older_than` counts. */
export const isOlderThan = (r: KeyRecord, days: number) => olderThan(r.age_days, days);
