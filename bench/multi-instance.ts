import type { ResolvedInstance } from '../lib/config';
import { DEFAULT_PAGE_POOL, runInventory, type InventoryOptions } from '../lib/inventory';
import { runCliExport } from './cli-run';
import { type InstanceSpec } from './fleet';
import { startFleetProcess } from './fleet-process';
import { minimalRead } from './minimal-reader';
import { RequestClock } from './request-clock';
import { median } from './stats';

/**
 * Eight consoles of all five vendors, each its own server with its own latency; the request
 * patterns differ too (one call, login + calls + logout, first page then concurrent pages).
 */
export const DEFAULT_FLEET: InstanceSpec[] = [
  { name: 'core-prod', vendor: 'metadefender-core', latencyMs: 120 },
  { name: 'core-lab', vendor: 'metadefender-core', latencyMs: 100, variant: 'login' },
  { name: 'mdss', vendor: 'metadefender-storage', latencyMs: 150 },
  { name: 'xsoar', vendor: 'cortex-xsoar', latencyMs: 300, variant: 'advanced' },
  { name: 'xsoar-eu', vendor: 'cortex-xsoar', latencyMs: 220 },
  { name: 'vault-eu', vendor: 'metadefender-vault', latencyMs: 110, tokens: 2_000, pageCap: 100 },
  { name: 'vault-us', vendor: 'metadefender-vault', latencyMs: 200, tokens: 600, pageCap: 50 },
  { name: 'cloud', vendor: 'metadefender-cloud', latencyMs: 250 },
];

/**
 * docs/benchmarks.md#budgets: 50 consoles of all five vendors, 150 ms latency each, a few Vaults with thousands
 * of tokens. Ten of each vendor, with every request pattern of DEFAULT_FLEET among them.
 */
export const FLEET_50: InstanceSpec[] = Array.from({ length: 10 }, (_, i): InstanceSpec[] => [
  { name: `core-${i}`, vendor: 'metadefender-core', latencyMs: 150, ...(i % 2 ? { variant: 'login' as const } : {}) },
  { name: `mdss-${i}`, vendor: 'metadefender-storage', latencyMs: 150 },
  { name: `xsoar-${i}`, vendor: 'cortex-xsoar', latencyMs: 150, ...(i % 2 ? { variant: 'advanced' as const } : {}) },
  { name: `vault-${i}`, vendor: 'metadefender-vault', latencyMs: 150, ...(i < 3 ? { tokens: 3_000, pageCap: 100 } : { tokens: 200, pageCap: 50 }) },
  { name: `cloud-${i}`, vendor: 'metadefender-cloud', latencyMs: 150 },
]).flat();

export interface Timed {
  /** First request sent → last response body read. */
  spanMs: number;
  /** The runInventory call, set-up and record building included. */
  callMs: number;
  requests: number;
  keys: number;
  /** Requests in flight at once: in total (at the client) and on the busiest server. */
  maxInFlight: number;
  maxInFlightPerServer: number;
  /** CPU time (user + system) of the bench process during the call: the engine's, not the mocks'. */
  cpuMs: number;
  /** Requests by method and path (RequestClock.byRoute). */
  routes: Record<string, number>;
}

export interface MultiInstanceResult {
  instances: (InstanceSpec & { alone: Timed })[];
  slowest: string;
  slowestAlone: Timed;
  concurrent: Timed;
  concurrentRuns: number[];
  /** One instance after another, one page after another: the PowerShell-script way. */
  sequential?: Timed;
  /** Each instance alone, added up: one after another but with the page pool. */
  sumOfAloneMs: number;
  cli?: { wallMs: number; maxRssMiB: number; rows: number };
  /** The same consoles read by bench/minimal-reader.ts in turns with the engine: first request → last response. */
  minimal?: { spanMs: number; runs: number[]; keys: number; requests: number; cpuMs: number; routes: Record<string, number> };
  /** The default page pool each instance used. */
  pagePool: number;
}

export interface MultiInstanceOptions {
  fleet?: readonly InstanceSpec[];
  rounds?: number;
  /** Also time the whole `keyatlas export` process over the same fleet. */
  cli?: boolean;
  /** Also time one instance after another (long for a big fleet). */
  sequential?: boolean;
  /** Also time the minimal reader of the same consoles, in turns with the engine. */
  minimal?: boolean;
}

export async function benchMultiInstance({ fleet = DEFAULT_FLEET, rounds = 3, cli = true, sequential = true, minimal = false }: MultiInstanceOptions = {}): Promise<MultiInstanceResult> {
  if (rounds < 1) throw new Error('rounds must be at least 1');
  const now = new Date();
  const mocks = await startFleetProcess(fleet, now);
  try {
    const { instances } = mocks;
    const timed = async (list: readonly ResolvedInstance[], options: InventoryOptions = {}): Promise<Timed> => {
      await mocks.resetStats();
      return { ...(await timedInventory(list, now, options)), maxInFlightPerServer: await mocks.busiestInFlight() };
    };
    // Connections and JIT warm, so round 1 is not an outlier.
    await timed(instances);

    const alone: Timed[][] = instances.map(() => []);
    const together: Timed[] = [];
    const minimalRuns: { spanMs: number; keys: number; requests: number; cpuMs: number; routes: Record<string, number> }[] = [];
    const readMinimally = async () => {
      const clock = new RequestClock();
      const cpu = process.cpuUsage();
      const keys = await minimalRead(instances, clock.fetch);
      return { spanMs: clock.spanMs, keys, requests: clock.requests, cpuMs: cpuMsSince(cpu), routes: Object.fromEntries(clock.byRoute) };
    };
    if (minimal) await readMinimally();
    for (let round = 0; round < rounds; round++) {
      for (const [i, instance] of instances.entries()) alone[i]!.push(await timed([instance]));
      together.push(await timed(instances));
      if (minimal) minimalRuns.push(await readMinimally());
    }
    // Both must have read the same keys, or the comparison means nothing.
    const mismatch = minimalRuns.find((run) => run.keys !== together[0]!.keys);
    if (mismatch) throw new Error(`the minimal reader read ${mismatch.keys} keys where the engine read ${together[0]!.keys}`);
    const aloneMedian = alone.map(medianTimed);
    const slowestIndex = aloneMedian.reduce((worst, t, i) => (t.spanMs > aloneMedian[worst]!.spanMs ? i : worst), 0);
    const oneByOne = sequential ? await timed(instances, { concurrency: 1, pagePool: 1 }) : undefined;

    let cliResult: MultiInstanceResult['cli'];
    if (cli) {
      const runs = [];
      for (let round = 0; round < rounds; round++) runs.push(await runCliExport(mocks.config));
      const failed = runs.find((r) => r.code !== 0);
      if (failed) throw new Error(`keyatlas export over the fleet exited ${failed.code}: ${failed.stderr.trim()}`);
      cliResult = {
        wallMs: median(runs.map((r) => r.wallMs)),
        maxRssMiB: Math.max(...runs.map((r) => r.maxRssMiB)),
        rows: runs[0]!.csv.split('\r\n').filter(Boolean).length - 1,
      };
    }

    return {
      instances: fleet.map((spec, i) => ({ ...spec, alone: aloneMedian[i]! })),
      slowest: fleet[slowestIndex]!.name,
      slowestAlone: aloneMedian[slowestIndex]!,
      concurrent: medianTimed(together),
      concurrentRuns: together.map((t) => t.spanMs),
      sequential: oneByOne,
      sumOfAloneMs: aloneMedian.reduce((sum, t) => sum + t.spanMs, 0),
      cli: cliResult,
      minimal: minimal
        ? { spanMs: median(minimalRuns.map((r) => r.spanMs)), runs: minimalRuns.map((r) => r.spanMs), keys: minimalRuns[0]!.keys, requests: minimalRuns[0]!.requests, cpuMs: median(minimalRuns.map((r) => r.cpuMs)), routes: minimalRuns[0]!.routes }
        : undefined,
      pagePool: DEFAULT_PAGE_POOL,
    };
  } finally {
    await mocks.close();
  }
}

async function timedInventory(instances: readonly ResolvedInstance[], now: Date, options: InventoryOptions): Promise<Omit<Timed, 'maxInFlightPerServer'>> {
  const clock = new RequestClock();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await runInventory(instances, { ...options, now, fetchFor: () => clock.fetch });
  const callMs = performance.now() - started;
  const cpuMs = cpuMsSince(cpu);
  const failed = result.results.filter((r) => !r.ok);
  // The mocks are healthy, so a failure here is a bug, not a measurement.
  if (failed.length) throw new Error(`inventory failed: ${failed.map((f) => f.error?.message).join('; ')}`);
  return { spanMs: clock.spanMs, callMs, requests: clock.requests, keys: result.records.length, maxInFlight: clock.maxInFlight, cpuMs, routes: Object.fromEntries(clock.byRoute) };
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1000;
}

function medianTimed(samples: readonly Timed[]): Timed {
  return {
    spanMs: median(samples.map((s) => s.spanMs)),
    callMs: median(samples.map((s) => s.callMs)),
    requests: samples[0]!.requests,
    keys: samples[0]!.keys,
    maxInFlight: Math.max(...samples.map((s) => s.maxInFlight)),
    maxInFlightPerServer: Math.max(...samples.map((s) => s.maxInFlightPerServer)),
    cpuMs: median(samples.map((s) => s.cpuMs)),
    routes: samples[0]!.routes,
  };
}
