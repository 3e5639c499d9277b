import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { diffKeys, type KeyChanges } from '../lib/changes';
import { CSV_COLUMNS, EXTENDED_COLUMNS, guard, unguard } from '../lib/csv';
import type { DiffArgs, DiffFormat } from './args';
import type { CliIo } from './io';
import { terminalText } from './terminal-text';

/** What `diff` reads of a KeyAtlas CSV row (docs/contract.md#columns), formula guard taken off again. */
export interface DiffRow {
  instance: string;
  vendor: string;
  owner: string;
  key_id: string;
  description: string;
  expires: string;
  /** From an export with --columns extended; undefined from a standard one. */
  owner_state?: string;
}

export class NotKeyAtlasCsv extends Error {}

/**
 * An `expires` cell as KeyAtlas writes it (ISO 8601 UTC, e.g. `2026-01-31T12:00:00.000Z`) or a
 * date alone. Strict on purpose: `Date.parse` also takes `=1 (cmd|' /C calc'!A0)` for a date.
 */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;
export function isIsoDate(text: string): boolean {
  return ISO_DATE.test(text) && !Number.isNaN(Date.parse(text));
}

const EXTENDED_HEADER = [...CSV_COLUMNS, ...EXTENDED_COLUMNS];
const OWNER_STATES = ['', 'active', 'inactive', 'orphaned'];

/** Reads a KeyAtlas export (any key mode, standard or extended columns). Anything else is a NotKeyAtlasCsv naming the file and line. */
export function readKeyAtlasCsv(file: string, text: string): DiffRow[] {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: true });
  const header = parsed.data[0];
  const extended = header?.join(',') === EXTENDED_HEADER.join(',');
  if (!header || (!extended && header.join(',') !== CSV_COLUMNS.join(',')))
    throw new NotKeyAtlasCsv(`${file}: line 1: not a KeyAtlas CSV (the header must be ${CSV_COLUMNS.join(',')}, optionally followed by ${EXTENDED_COLUMNS.join(',')})`);
  const width = header.length;
  const broken = parsed.errors[0];
  if (broken) throw new NotKeyAtlasCsv(`${file}: line ${(broken.row ?? 0) + 1}: ${broken.message}`);
  const col = Object.fromEntries(CSV_COLUMNS.map((name, i) => [name, i])) as Record<(typeof CSV_COLUMNS)[number], number>;
  return parsed.data.slice(1).map((cells, i) => {
    const line = i + 2;
    if (cells.length !== width) throw new NotKeyAtlasCsv(`${file}: line ${line}: ${cells.length} cells, its header has ${width}`);
    const expires = cells[col.expires]!;
    if (expires && !isIsoDate(expires)) throw new NotKeyAtlasCsv(`${file}: line ${line}: expires "${terminalText(expires, { inline: true })}" is not an ISO 8601 date`);
    const ownerState = extended ? cells[CSV_COLUMNS.length]! : undefined;
    if (ownerState !== undefined && !OWNER_STATES.includes(ownerState))
      throw new NotKeyAtlasCsv(`${file}: line ${line}: owner_state "${terminalText(ownerState, { inline: true })}" is not active, inactive, orphaned or empty`);
    return {
      instance: unguard(cells[col.instance]!),
      vendor: unguard(cells[col.vendor]!),
      owner: unguard(cells[col.owner]!),
      key_id: unguard(cells[col.key_id]!),
      description: unguard(cells[col.description]!),
      expires,
      ...(ownerState === undefined ? {} : { owner_state: ownerState }),
    };
  });
}

function readFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new NotKeyAtlasCsv(`${file}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

// Vendor text on a terminal: each field on its own line of output, its control characters shown, not run.
const field = (text: string) => terminalText(text, { inline: true });
const label = (row: DiffRow) => `${field(row.instance)}  ${field(row.owner)}${row.key_id ? `  #${field(row.key_id)}` : ''}${row.description ? `  "${field(row.description)}"` : ''}`;
const expiryText = (expires: string) => expires || 'never';

export function formatDiff(changes: KeyChanges<DiffRow>, format: DiffFormat): string {
  if (format === 'json') return JSON.stringify(changes, null, 2) + '\n';
  if (format === 'csv') {
    // Every cell guarded: a hand-edited or hostile export can put a formula in any of them.
    const row = (change: string, r: DiffRow, before: string, after: string, ownerBefore = '') =>
      [change, r.instance, r.vendor, r.owner, r.key_id, r.description, before, after, ownerBefore].map(guard);
    const rows = [
      ...changes.added.map((r) => row('added', r, '', r.expires)),
      ...changes.removed.map((r) => row('removed', r, r.expires, '')),
      ...changes.expiryChanged.map(({ before, after }) => row('expiry-changed', after, before.expires, after.expires)),
      ...changes.ownerChanged.map(({ before, after }) => row('owner-changed', after, before.expires, after.expires, before.owner)),
      ...changes.orphaned.map(({ before, after }) => row('orphaned', after, before.expires, after.expires, before.owner)),
    ];
    const header = ['change', 'instance', 'vendor', 'owner', 'key_id', 'description', 'expires_before', 'expires_after', 'owner_before'];
    return '\uFEFF' + Papa.unparse([header, ...rows], { newline: '\r\n' }) + '\r\n';
  }
  const lines = [
    ...changes.added.map((r) => `added     ${label(r)}  expires ${expiryText(r.expires)}`),
    ...changes.removed.map((r) => `removed   ${label(r)}`),
    ...changes.expiryChanged.map(({ before, after }) => `expiry    ${label(after)}  ${expiryText(before.expires)} → ${expiryText(after.expires)}`),
    ...changes.ownerChanged.map(({ before, after }) => `owner     ${label(after)}  owner ${field(before.owner)} → ${field(after.owner)}`),
    ...changes.orphaned.map(({ before, after }) => `orphaned  ${label(after)}  owner no longer in the user list (was ${field(before.owner_state ?? '')})`),
  ];
  const owners = changes.ownerChanged.length || changes.orphaned.length ? `, ${changes.ownerChanged.length} owner changed, ${changes.orphaned.length} became orphaned` : '';
  const total = `${changes.added.length} added, ${changes.removed.length} removed, ${changes.expiryChanged.length} expiry changed${owners}\n`;
  return lines.length ? `${lines.join('\n')}\n\n${total}` : total;
}

/** `keyatlas diff`: exit 0 with the changes on stdout, 2 when a file is not a KeyAtlas CSV. */
export function runDiff(args: DiffArgs, io: Pick<CliIo, 'stdout' | 'stderr'>): number {
  let before: DiffRow[], after: DiffRow[];
  try {
    before = readKeyAtlasCsv(args.oldFile, readFile(args.oldFile));
    after = readKeyAtlasCsv(args.newFile, readFile(args.newFile));
  } catch (error) {
    if (!(error instanceof NotKeyAtlasCsv)) throw error;
    io.stderr.write(`keyatlas: ${error.message}\n`);
    return 2;
  }
  io.stdout.write(formatDiff(diffKeys(before, after), args.format));
  return 0;
}
