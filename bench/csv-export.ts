import { startFleet } from './fleet';
import { childResult, ROOT, runNode } from './node-child';
import { runCliExport } from './cli-run';

export interface CsvMemory {
  rows: number;
  chars: number;
  baselineMiB: number;
  /** The records alone, after the generator's garbage was collected. */
  recordsMiB: number;
  afterCsvMiB: number;
  retainedMiB: number;
  /** Highest heap while toCsv ran: from the GC trace, or the end state if higher. */
  peakMiB: number;
}

export interface CsvTiming {
  rows: number;
  bytes: number;
  /** First call in a fresh process, as the CLI pays it. */
  coldMs: number;
  coldCpuMs: number;
  warmMs: number;
  warmRuns: number[];
  /** Papa.unparse of the same cells, sorted and built beforehand (median of the later runs). */
  papaMs: number;
  papaRuns: number[];
  /** The same cells joined with commas and CRLF, no quoting: not valid CSV, a floor below the floor. */
  joinMs: number;
  /** toCsv's parts: sortRecords alone, and building every row's cells alone (medians of the later runs). */
  sortMs: number;
  cellsMs: number;
}

export interface CsvResult {
  memory: CsvMemory;
  timing: CsvTiming;
}

const CHILD = `${ROOT}bench/csv-child.ts`;

export async function benchCsv({ records = 100_000, warmRuns = 3 }: { records?: number; warmRuns?: number } = {}): Promise<CsvResult> {
  const memoryRun = await runNode(CHILD, ['memory', String(records)], { nodeFlags: ['--expose-gc', '--trace-gc'] });
  const memory = childResult<Omit<CsvMemory, 'peakMiB'>>(memoryRun, 'the CSV memory child');
  const timing = childResult<CsvTiming>(await runNode(CHILD, ['time', String(records), String(warmRuns)]), 'the CSV timing child');
  return { memory: { ...memory, peakMiB: Math.max(serializePeak(memoryRun.stdout), memory.afterCsvMiB) }, timing };
}

const GC_LINE = /^\[\d+:(0x[0-9a-f]+)\]\s+[\d.]+ ms: [A-Za-z -]+(?:\([a-z ]+\) )?([\d.]+) \([\d.]+\) -> [\d.]+ \([\d.]+\) MB.*?(testing)?;/;

/**
 * The heap only grows between collections, so its peak while toCsv ran is the largest "before"
 * size of the collections between the child's third and fourth explicit gc() ("testing"), the
 * fourth one's included. Lines of other isolates (tsx's loader thread) are left out.
 */
export function serializePeak(trace: string): number {
  const lines = trace.split('\n').flatMap((line) => {
    const m = GC_LINE.exec(line);
    return m ? [{ isolate: m[1]!, before: Number(m[2]), explicit: !!m[3] }] : [];
  });
  const explicit = lines.filter((l) => l.explicit);
  if (explicit.length !== 4) throw new Error(`expected 4 explicit collections in the GC trace, found ${explicit.length}`);
  const main = lines.filter((l) => l.isolate === explicit[0]!.isolate);
  const third = main.indexOf(explicit[2]!);
  const fourth = main.indexOf(explicit[3]!);
  return Math.max(...main.slice(third + 1, fourth + 1).map((l) => l.before));
}

export interface CliExportResult {
  tokens: number;
  rows: number;
  wallMs: number;
  maxRssMiB: number;
  peakHeapMiB: number;
}

/** `keyatlas export` end to end against one Vault console holding `tokens` keys. */
export async function benchCliExport({ tokens = 100_000, pageCap = 100 }: { tokens?: number; pageCap?: number } = {}): Promise<CliExportResult> {
  const fleet = await startFleet([{ name: 'vault', vendor: 'metadefender-vault', latencyMs: 0, tokens, pageCap }]);
  try {
    const run = await runCliExport(fleet.config);
    if (run.code !== 0) throw new Error(`keyatlas export exited ${run.code}: ${run.stderr.trim()}`);
    // Generated descriptions have no line breaks, so lines are rows.
    const rows = run.csv.split('\r\n').length - 2;
    if (rows !== tokens) throw new Error(`keyatlas export wrote ${rows} rows for ${tokens} tokens`);
    return { tokens, rows, wallMs: run.wallMs, maxRssMiB: run.maxRssMiB, peakHeapMiB: run.peakHeapMiB };
  } finally {
    await fleet.close();
  }
}
