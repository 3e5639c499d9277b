import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliStartupResult } from './cli-startup';
import type { CliExportResult, CsvResult } from './csv-export';
import type { EngineCpuResult } from './engine-cpu';
import { serializePeak } from './csv-export';
import { FIRST_FRAME_ROWS, MAX_KEY_ROWS } from '../ext/ui/keys-view';
import { skipWithout } from '../test/e2e/support/browsers';
import type { ExtensionScaleResult } from './extension-scale';
import type { MultiInstanceResult } from './multi-instance';
import type { PagingResult } from './paging';
import type { PopupRenderResult } from './popup-render';
import { bundleSizes, ensureBuilt, type BundleSizes } from './popup-size';
import { check, formatConsole, formatMarkdown, writeReport, type BenchReport, type Section } from './report';
import { runSuite, type SuiteSizes } from './suite';

// The whole `npm run bench` code path at tiny sizes, so it cannot rot. No timing is asserted:
// only that every benchmark measured what it claims, over real HTTP and real child processes.

let dir: string;
let report: BenchReport;
const section = (id: string): Section => {
  const found = report.sections.find((s) => s.id === id);
  expect(found?.error).toBeUndefined();
  return found!;
};

/** A build output shaped like WXT's: a module script, a preload, a static and a dynamic import. */
function fakeBuild(outDir: string): Record<string, string> {
  const files = {
    'popup.html': '<html><head><script type="module" crossorigin src="/chunks/popup-abc.js"></script><link rel="modulepreload" crossorigin href="/chunks/shared-def.js"><link rel="stylesheet" href="/assets/popup.css"></head></html>',
    'chunks/popup-abc.js': 'import{h as n}from"./shared-def.js";import"./polyfill-123.js";const lazy=()=>import("./lazy-xyz.js");n(lazy);',
    'chunks/shared-def.js': `export const h=(x)=>x;${'/* preact */'.repeat(200)}`,
    'chunks/polyfill-123.js': 'globalThis.x=1;',
    'chunks/lazy-xyz.js': `export default 1;${'lazy'.repeat(500)}`,
    'background.js': `console.log(1);${'bg'.repeat(1000)}`,
  };
  mkdirSync(join(outDir, 'chunks'), { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(outDir, file), text);
  return files;
}

const TINY: Omit<SuiteSizes, 'popupOutDir'> = {
  fleet: [
    { name: 'core', vendor: 'metadefender-core', latencyMs: 10 },
    { name: 'vault', vendor: 'metadefender-vault', latencyMs: 20, tokens: 260, pageCap: 50 },
    { name: 'xsoar', vendor: 'cortex-xsoar', latencyMs: 15, variant: 'advanced' },
  ],
  // More than the old fixed pool of 8: every one must be in flight at once.
  bigFleet: Array.from({ length: 12 }, (_, i) => ({ name: `vault-${i}`, vendor: 'metadefender-vault' as const, latencyMs: 40, tokens: 120, pageCap: 20 })),
  rounds: 1,
  // The server holds every page 50 ms, so the two workers' requests overlap.
  paging: { tokens: 450, pageCap: 100, latencyMs: 50, pool: 2, rounds: 1 },
  csvRecords: 2_500,
  engine: { keys: 2_000, rounds: 1 },
  cliTokens: 1_200,
  popupKeys: 300,
  popupRuns: 1,
  startupRuns: 1,
  extension: { instances: 2, keysPerInstance: 150, pageCap: 50, latencyMs: 5, rounds: 1, opens: 1 },
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'keyatlas-bench-test-'));
  fakeBuild(join(dir, 'build'));
  report = await runSuite({ ...TINY, popupOutDir: join(dir, 'build') });
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));


/**
 * Requests to read one paged list to its end: pages overlapping by one key (a list that moves shows
 * there), then its last key alone and an empty page (docs/completeness.md).
 */
const listRequests = (keys: number, cap: number) => Math.ceil((keys - 1) / (cap - 1)) + 2;

describe('bench suite at tiny sizes', () => {
  it('times many instances alone, together, one after another and through the CLI, reading every key each way', () => {
    const s = section('multi-instance');
    const r = s.raw as MultiInstanceResult;
    expect(r.instances.map((i) => i.name)).toEqual(['core', 'vault', 'xsoar']);
    for (const i of r.instances) expect(i.alone.keys).toBeGreaterThan(0);
    expect(r.instances.find((i) => i.name === 'vault')!.alone.keys).toBe(260);
    const keys = r.instances.reduce((n, i) => n + i.alone.keys, 0);
    const requests = r.instances.reduce((n, i) => n + i.alone.requests, 0);
    expect([r.concurrent.keys, r.concurrent.requests]).toEqual([keys, requests]);
    expect([r.sequential?.keys, r.sequential?.requests]).toEqual([keys, requests]);
    expect(r.cli?.rows).toBe(keys);
    expect(r.slowestAlone).toEqual(r.instances.find((i) => i.name === r.slowest)!.alone);
    expect(s.goals[0]!.measured).toBeCloseTo(r.concurrent.spanMs / r.slowestAlone.spanMs);
  });

  it('reads the big fleet in one wave, each server within the page pool, and reports requests in flight', () => {
    const s = section('fleet');
    const r = s.raw as MultiInstanceResult;
    expect(r.instances).toHaveLength(12);
    expect(r.concurrent.keys).toBe(12 * 120);
    expect(r.concurrent.requests).toBe(12 * listRequests(120, 20));
    // Twelve first pages at once, then up to twelve page pools: more than any fixed pool of 8.
    expect(r.concurrent.maxInFlight).toBeGreaterThan(12);
    expect(r.concurrent.maxInFlightPerServer).toBeGreaterThan(1);
    expect(r.concurrent.maxInFlightPerServer).toBeLessThanOrEqual(r.pagePool);
    expect(r.sequential).toBeUndefined();
    // The minimal reader read the same keys in every round (it throws otherwise).
    expect(r.minimal?.keys).toBe(r.concurrent.keys);
    expect(r.minimal?.runs).toHaveLength(1);
    expect(s.goals.map((g) => g.measured)).toEqual([r.concurrent.spanMs / r.slowestAlone.spanMs, r.concurrent.maxInFlightPerServer, r.concurrent.spanMs / r.minimal!.spanMs]);
  });

  it('replays every vendor shape through the engine with no network, against a bare JSON.parse of the same replies', () => {
    const s = section('engine-cpu');
    const r = s.raw as EngineCpuResult;
    expect(r.keys).toBe(2_000);
    expect(r.shapes.map((x) => x.keys)).toEqual([800, 200, 800, 196, 2, 2]);
    expect(r.shapes.reduce((n, x) => n + x.requests, 0)).toBe(r.requests);
    expect(r.engineRuns).toHaveLength(1);
    expect(r.profile.samples).toBeGreaterThan(0);
    expect(r.profile.parts.reduce((sum, p) => sum + p.share, 0)).toBeCloseTo(1);
    expect(s.goals[0]!.measured).toBeCloseTo(r.engineMs / r.floorMs);
  });

  it('pages the Vault mock with the pool full but never over it, and computes the ideal from the page count', () => {
    const r = section('paging').raw as PagingResult;
    expect(r.pages).toBe(5);
    expect(r.requests).toBe(listRequests(450, 100));
    expect(r.idealRoundTrips).toBe(1 + Math.ceil(4 / 2));
    expect(r.maxInFlight).toBe(2);
    expect(r.idealMs).toBeCloseTo(r.idealRoundTrips * r.roundTripMs + r.parseMs);
  });

  it('serializes the records in child processes and exports every Vault token through the CLI', () => {
    const { csv, cli } = section('csv').raw as { csv: CsvResult; cli: CliExportResult };
    expect([csv.memory.rows, csv.timing.rows]).toEqual([2_500, 2_500]);
    expect(csv.memory.recordsMiB).toBeGreaterThan(csv.memory.baselineMiB);
    expect(csv.memory.peakMiB).toBeGreaterThanOrEqual(csv.memory.afterCsvMiB);
    expect(csv.timing.bytes).toBeGreaterThan(2_500 * 50);
    expect(csv.timing.warmRuns).toHaveLength(3);
    expect(csv.timing.papaRuns).toHaveLength(3);
    expect(csv.timing.joinMs).toBeGreaterThan(0);
    expect(csv.timing.sortMs).toBeGreaterThan(0);
    expect(csv.timing.cellsMs).toBeGreaterThan(0);
    expect(section('csv').goals[2]!.measured).toBeCloseTo(csv.timing.warmMs / csv.timing.papaMs);
    expect(cli.rows).toBe(1_200);
    expect(cli.maxRssMiB).toBeGreaterThan(0);
  });

  it('times the CLI installed from its npm tarball against bare node', () => {
    const s = section('cli-startup');
    const r = s.raw as CliStartupResult;
    expect(r.tarball).toMatch(/^keyatlas-.*\.tgz$/);
    expect([r.helpRuns, r.nodeRuns].map((runs) => runs.length)).toEqual([1, 1]);
    expect(s.goals[0]!.measured).toBeCloseTo(r.helpMs / r.nodeMs);
  });

  it('renders the popup App with the cached keys and shows the state’s totals', () => {
    const r = section('popup-render').raw as PopupRenderResult;
    expect(r.keys).toBe(300);
    expect(r.rowsDrawn).toBe(FIRST_FRAME_ROWS);
    expect(r.expiredShown).toBe(r.expiredExpected);
    expect(r.runsMs).toHaveLength(1);
  });

  it.skipIf(skipWithout('chromium'))('drives the built extension in Chromium against the engine on the same Vaults: refresh, popup, search, storage, heap', () => {
    const s = section('extension-scale');
    const r = s.raw as ExtensionScaleResult;
    const { instances, keysPerInstance, pageCap } = TINY.extension;
    expect([r.instances, r.keys, r.requests]).toEqual([instances, instances * keysPerInstance, instances * listRequests(keysPerInstance, pageCap)]);
    expect([r.engineRuns, r.extensionRuns, r.popup.runsMs, r.transport.chromiumRuns].map((runs) => runs.length)).toEqual([1, 1, 1, 1]);
    expect(r.popup.rowsDrawn).toBe(FIRST_FRAME_ROWS);
    expect(r.search.map((q) => q.runsMs.length)).toEqual([1, 1, 1, 1]);
    // Every key holds an "e"; one instance holds its keys; no key holds the last query.
    expect(r.search.map((q) => q.rowsDrawn)).toEqual([MAX_KEY_ROWS, Math.min(keysPerInstance, MAX_KEY_ROWS), instances, 0]);
    // The cache item (and its version mark once a worker start has migrated it) and one keys item per instance.
    expect([1, 2]).toContain(r.storage.cacheItems - instances);
    expect(r.storage.cacheBytes).toBeGreaterThan(r.keys * 20);
    expect(r.worker.peakUsedMiB).toBeGreaterThan(0);
    expect(r.worker.samples).toBeGreaterThan(0);
    expect(s.goals.map((g) => g.measured)).toEqual([
      r.extensionMs / r.transport.chromiumMs,
      r.extensionMs / r.engineMs,
      r.popup.medianMs,
      r.popup.rowsAfterParsedMs,
      Math.max(...r.search.map((q) => q.medianMs)),
    ]);
  });

  it('sums the gzip size of what popup.html loads first: scripts, preloads, static imports, not import()', () => {
    const files = fakeBuild(join(dir, 'sizes'));
    const sizes = section('popup-size').raw as BundleSizes;
    expect(sizes).toEqual(bundleSizes(join(dir, 'sizes')));
    expect(sizes.popupJs.map((f) => f.file).sort()).toEqual(['chunks/polyfill-123.js', 'chunks/popup-abc.js', 'chunks/shared-def.js']);
    const gzip = (file: string) => gzipSync(files[file]!).length;
    expect(sizes.popupGzipBytes).toBe(gzip('chunks/popup-abc.js') + gzip('chunks/shared-def.js') + gzip('chunks/polyfill-123.js'));
    expect(sizes.background).toEqual({ file: 'background.js', bytes: files['background.js']!.length, gzipBytes: gzip('background.js') });
  });

  it('writes results.md and results.json with machine facts, every goal and its verdict', () => {
    const out = join(dir, 'out');
    mkdirSync(out);
    const crashed: Section = { id: 'x', title: 'Broken', goals: [], facts: [], method: '', error: 'server went away' };
    writeReport({ ...report, sections: [...report.sections, crashed] }, out);
    const json = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as BenchReport;
    expect(json.machine.cores).toBeGreaterThan(0);
    expect(json.machine.node).toBe(process.version);
    const goals = json.sections.flatMap((s) => s.goals);
    // Every budget (docs/benchmarks.md#budgets), the first release's and the raised ones, key search included.
    const goalCount = report.sections.flatMap((s) => s.goals).length;
    expect(goalCount).toBeGreaterThanOrEqual(skipWithout('chromium') ? 14 : 19);
    expect(goals).toHaveLength(goalCount);
    for (const g of goals) expect(g.verdict).toBe(g.measured <= g.limit ? 'PASS' : 'MISS');
    const md = readFileSync(join(out, 'results.md'), 'utf8');
    expect(md).toBe(formatMarkdown({ ...report, sections: [...report.sections, crashed] }));
    expect(md).toContain(json.machine.cpuModel);
    expect(md).toContain('**Crashed:** server went away');
    const busy = { ...report, machine: { ...report.machine, loadAverage: { start: [json.machine.cores + 1, 0, 0], end: [0, 0, 0] } } };
    const quiet = { ...report, machine: { ...report.machine, loadAverage: { start: [0, 0, 0], end: [json.machine.cores - 0.5, 0, 0] } } };
    expect([formatMarkdown(busy), formatMarkdown(quiet)].map((text) => text.includes('**The machine was loaded**'))).toEqual([true, false]);
    expect(md.match(/\| (PASS|MISS) \|/g)).toHaveLength(goalCount);
    expect(formatConsole(report).split('\n').filter((l) => /\b(PASS|MISS)$/.test(l))).toHaveLength(goalCount);
    // Every missed goal is listed with why; a reason is worked out only for a miss.
    const why = md.slice(md.indexOf('### Why the missed goals missed'));
    for (const g of goals.filter((goal) => goal.verdict === 'MISS')) expect(why).toContain(`, ${g.goal}:**`);
    const asked: string[] = [];
    const reasoned = (measured: number) => check('g', measured, 1, '×', () => (asked.push('why'), 'measured reason'));
    expect([reasoned(2).reason, reasoned(1).reason, asked]).toEqual(['measured reason', undefined, ['why']]);
  });
});

describe('serializePeak', () => {
  const line = (isolate: string, before: number, reason: string) =>
    `[123:${isolate}]     1${Math.round(before)} ms: Mark-Compact ${before.toFixed(1)} (${(before + 9).toFixed(1)}) -> 3.0 (9.0) MB, 1.2 / 0.0 ms  (average mu = 1.000, current mu = 1.000) ${reason}; GC in old space requested`;
  const scavenge = (isolate: string, before: number) =>
    `[123:${isolate}]     2 ms: Scavenge ${before.toFixed(1)} (${before + 2}.0) -> 1.0 (2.0) MB, 0.5 / 0.0 ms  (average mu = 1.000, current mu = 1.000) allocation failure; `;

  it('takes the largest heap before a collection between the third and fourth explicit gc of the main isolate', () => {
    const trace = [
      line('0xaaa', 4, 'testing'),
      scavenge('0xaaa', 90), // the records being built: not serializing
      line('0xaaa', 5, 'testing'),
      line('0xaaa', 40, 'testing'),
      scavenge('0xbbb', 500), // tsx's loader thread
      scavenge('0xaaa', 77.5),
      line('0xaaa', 61, 'finalize incremental marking via stack guard'),
      line('0xaaa', 70, 'testing'),
      scavenge('0xaaa', 300),
    ].join('\n');
    expect(serializePeak(trace)).toBe(77.5);
  });

  it('refuses a trace without its four explicit collections', () => {
    expect(() => serializePeak([line('0xaaa', 4, 'testing'), scavenge('0xaaa', 9)].join('\n'))).toThrow(/expected 4 explicit collections/);
  });
});

describe('ensureBuilt', () => {
  it('leaves a build alone when it is newer than every source', () => {
    const root = mkdtempSync(join(tmpdir(), 'keyatlas-bench-root-'));
    try {
      mkdirSync(join(root, 'lib'));
      mkdirSync(join(root, '.output/chrome-mv3'), { recursive: true });
      writeFileSync(join(root, 'lib/a.ts'), '');
      writeFileSync(join(root, '.output/chrome-mv3/manifest.json'), '{}');
      const past = new Date(Date.now() - 60_000);
      utimesSync(join(root, 'lib/a.ts'), past, past);
      // No node_modules/.bin/wxt here: a build attempt would throw.
      expect(ensureBuilt(root)).toBe(false);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
