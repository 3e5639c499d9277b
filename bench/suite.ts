import { loadavg } from 'node:os';
import { benchCliStartup } from './cli-startup';
import { benchCliExport, benchCsv } from './csv-export';
import { benchEngineCpu } from './engine-cpu';
import { benchExtensionScale, type ExtensionScaleOptions } from './extension-scale';
import { keySearchSection } from './key-search';
import { type InstanceSpec } from './fleet';
import { machineFacts } from './machine';
import { benchMultiInstance, DEFAULT_FLEET, FLEET_50 } from './multi-instance';
import { benchPaging, type PagingOptions } from './paging';
import { benchPopupRender } from './popup-render';
import { benchBundleSizes, bundleSizes } from './popup-size';
import type { BenchReport, Section } from './report';
import { cliStartupSection, csvSection, engineCpuSection, extensionScaleSection, fleetSection, multiInstanceSection, pagingSection, popupRenderSection, popupSizeSection } from './sections';

export interface SuiteSizes {
  fleet: InstanceSpec[];
  /** docs/benchmarks.md#budgets: the big fleet, each instance alone and all together. */
  bigFleet: InstanceSpec[];
  rounds: number;
  paging: PagingOptions;
  csvRecords: number;
  /** Third release: the engine's CPU per key over replayed replies of this many keys, in turns with the floor. */
  engine: { keys: number; rounds: number };
  cliTokens: number;
  popupKeys: number;
  popupRuns: number;
  startupRuns: number;
  /** docs/benchmarks.md#budgets: the built extension in Chromium against the CLI engine. */
  extension: ExtensionScaleOptions;
  /** Measure this build output instead of building .output/chrome-mv3. */
  popupOutDir?: string;
}

/** docs/benchmarks.md#budgets. */
export const FULL: SuiteSizes = {
  fleet: DEFAULT_FLEET,
  bigFleet: FLEET_50,
  rounds: 3,
  paging: { tokens: 10_000, pageCap: 100, latencyMs: 50, pool: 6, rounds: 3 },
  csvRecords: 100_000,
  engine: { keys: 100_000, rounds: 7 },
  cliTokens: 100_000,
  popupKeys: 10_000,
  popupRuns: 7,
  startupRuns: 7,
  extension: { instances: 10, keysPerInstance: 10_000, pageCap: 100, latencyMs: 50, rounds: 3, opens: 5 },
};

/**
 * Runs every benchmark (or those named in `only`) one after another, so they do not compete for
 * the CPU. A crash is recorded in its section and the others still run; a missed goal is only a verdict.
 */
export async function runSuite(sizes: SuiteSizes, progress: (text: string) => void = () => {}, only?: readonly string[]): Promise<BenchReport> {
  const started = performance.now();
  const date = new Date().toISOString();
  const loadStart = loadavg();
  const all: [string, string, () => Promise<Section>][] = [
    ['multi-instance', 'Many instances', async () => multiInstanceSection(await benchMultiInstance({ fleet: sizes.fleet, rounds: sizes.rounds }))],
    ['fleet', 'Fleet', async () => fleetSection(await benchMultiInstance({ fleet: sizes.bigFleet, rounds: sizes.rounds, cli: false, sequential: false, minimal: true }))],
    ['engine-cpu', 'Engine CPU per key', async () => engineCpuSection(await benchEngineCpu(sizes.engine))],
    ['paging', 'Paged vendor (Vault)', async () => pagingSection(await benchPaging(sizes.paging))],
    ['csv', 'CSV', async () => csvSection(await benchCsv({ records: sizes.csvRecords }), await benchCliExport({ tokens: sizes.cliTokens }))],
    ['cli-startup', 'Installed CLI start-up', async () => cliStartupSection(await benchCliStartup({ runs: sizes.startupRuns }))],
    ['popup-size', 'Popup size', async () => popupSizeSection(sizes.popupOutDir ? bundleSizes(sizes.popupOutDir) : benchBundleSizes())],
    ['popup-render', 'Popup first render', async () => popupRenderSection(await benchPopupRender({ keys: sizes.popupKeys, runs: sizes.popupRuns }))],
    // docs/benchmarks.md#budgets asks for 100,000 keys: ten times the first-render size (FULL: 10,000).
    ['key-search', 'Popup key search', async () => keySearchSection({ keys: sizes.popupKeys * 10 })],
    ['extension-scale', 'Extension at scale', async () => extensionScaleSection(await benchExtensionScale(sizes.extension))],
  ];
  const unknown = only?.filter((id) => !all.some(([known]) => known === id));
  if (unknown?.length) throw new Error(`no benchmark called ${unknown.join(', ')} (there are ${all.map(([id]) => id).join(', ')})`);
  const steps = only?.length ? all.filter(([id]) => only.includes(id)) : all;
  const sections: Section[] = [];
  for (const [i, [id, title, step]] of steps.entries()) {
    progress(`[${i + 1}/${steps.length}] ${title}…`);
    try {
      sections.push(await step());
    } catch (error) {
      sections.push({ id, title, goals: [], facts: [], method: '', error: error instanceof Error ? error.message : String(error) });
    }
  }
  return {
    date,
    durationMs: performance.now() - started,
    machine: { ...machineFacts(), loadAverage: { start: loadStart, end: loadavg() } },
    sections,
  };
}
