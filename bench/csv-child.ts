// One fresh process per measurement (see csv-export.ts), so the heap holds this work alone.
import Papa from 'papaparse';
import { CRLF, CSV_COLUMNS, csvCells, toCsv } from '../lib/csv';
import { sortRecords } from '../lib/record';
import { printResult } from './node-child';
import { syntheticRecords } from './records';
import { median, MiB } from './stats';

const [mode, countText, runsText = '3'] = process.argv.slice(2);
const count = Number(countText);
const now = new Date();
const heapMiB = () => process.memoryUsage().heapUsed / MiB;

if (mode === 'memory') {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  // Exactly four explicit collections: csv-export.ts finds the serialize phase between the third
  // and the fourth in the --trace-gc output, where they show as "testing".
  gc();
  gc();
  const baselineMiB = heapMiB();
  const records = syntheticRecords(count, now);
  // The generator's own garbage is not the export's: collected before serializing starts.
  gc();
  const recordsMiB = heapMiB();
  const csv = toCsv(records, { keys: 'masked' });
  const afterCsvMiB = heapMiB();
  gc();
  // Both are read below, so they outlived that collection: this is what they hold, not what they cost.
  const retainedMiB = heapMiB();
  printResult({ rows: records.length, chars: csv.length, baselineMiB, recordsMiB, afterCsvMiB, retainedMiB });
} else if (mode === 'time') {
  const records = syntheticRecords(count, now);
  const times: number[] = [];
  let coldCpuMs = 0;
  let bytes = 0;
  // The floor: the very cells toCsv writes, already built and sorted, through papaparse alone and
  // through a plain join (no quoting at all). Timed in turns with toCsv so load hits all alike.
  const cells = [[...CSV_COLUMNS], ...sortRecords(records).map((r) => csvCells(r, 'masked'))];
  const papaRuns: number[] = [];
  const joinRuns: number[] = [];
  // toCsv's own parts beside papaparse, to show where a miss of the ratio goes.
  const sortRuns: number[] = [];
  const cellsRuns: number[] = [];
  const timed = (work: () => string) => {
    const started = performance.now();
    const text = work();
    // Reading one character flattens a rope, as writing the text out would.
    text.charCodeAt(0);
    return performance.now() - started;
  };
  for (let run = 0; run <= Number(runsText); run++) {
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const csv = toCsv(records, { keys: 'masked' });
    times.push(performance.now() - started);
    const cpu = process.cpuUsage(cpuBefore);
    // CPU time beside wall time: other processes on the machine inflate the wall time, hardly this.
    if (run === 0) coldCpuMs = (cpu.user + cpu.system) / 1000;
    bytes = Buffer.byteLength(csv);
    papaRuns.push(timed(() => Papa.unparse(cells, { newline: CRLF })));
    joinRuns.push(timed(() => cells.map((c) => c.join(',')).join(CRLF)));
  }
  // After the rounds, not among them: their garbage would otherwise land on the next toCsv call.
  const sorted = sortRecords(records);
  for (let run = 0; run <= Number(runsText); run++) {
    sortRuns.push(timed(() => (sortRecords(records), '')));
    cellsRuns.push(timed(() => (sorted.map((r) => csvCells(r, 'masked')), '')));
  }
  const warmRuns = times.slice(1);
  printResult({
    rows: records.length,
    bytes,
    coldMs: times[0]!,
    coldCpuMs,
    warmMs: median(warmRuns),
    warmRuns,
    papaMs: median(papaRuns.slice(1)),
    papaRuns: papaRuns.slice(1),
    joinMs: median(joinRuns.slice(1)),
    sortMs: median(sortRuns.slice(1)),
    cellsMs: median(cellsRuns.slice(1)),
  });
} else {
  throw new Error('usage: csv-child.ts memory|time COUNT [RUNS ≥ 1]');
}
