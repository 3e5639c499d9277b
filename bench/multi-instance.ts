import type { ResolvedInstance } from '../lib/config';
import { runInventory, type InventoryOptions } from '../lib/inventory';
import { runCliExport } from './cli-run';
import { startFleet, type InstanceSpec } from './fleet';
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

export interface Timed {
  /** First request sent → last response body read. */
  spanMs: number;
  /** The runInventory call, set-up and record building included. */
  callMs: number;
  requests: number;
  keys: number;
}

export interface MultiInstanceResult {
  instances: (InstanceSpec & { alone: Timed })[];
  slowest: string;
  slowestAlone: Timed;
  concurrent: Timed;
  concurrentRuns: number[];
  /** One instance after another, one page after another: the PowerShell-script way. */
  sequential: Timed;
  /** Each instance alone, added up: one after another but with the page pool. */
  sumOfAloneMs: number;
  cli?: { wallMs: number; maxRssMiB: number; rows: number };
}

export interface MultiInstanceOptions {
  fleet?: readonly InstanceSpec[];
  rounds?: number;
  /** Also time the whole `keyatlas export` process over the same fleet. */
  cli?: boolean;
}

export async function benchMultiInstance({ fleet = DEFAULT_FLEET, rounds = 3, cli = true }: MultiInstanceOptions = {}): Promise<MultiInstanceResult> {
  if (rounds < 1) throw new Error('rounds must be at least 1');
  const now = new Date();
  const mocks = await startFleet(fleet, now);
  try {
    const { instances } = mocks;
    // Connections and JIT warm, so round 1 is not an outlier.
    await timedInventory(instances, now);

    const alone: Timed[][] = instances.map(() => []);
    const together: Timed[] = [];
    for (let round = 0; round < rounds; round++) {
      for (const [i, instance] of instances.entries()) alone[i]!.push(await timedInventory([instance], now));
      together.push(await timedInventory(instances, now));
    }
    const aloneMedian = alone.map(medianTimed);
    const slowestIndex = aloneMedian.reduce((worst, t, i) => (t.spanMs > aloneMedian[worst]!.spanMs ? i : worst), 0);
    const sequential = await timedInventory(instances, now, { concurrency: 1, pagePool: 1 });

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
      sequential,
      sumOfAloneMs: aloneMedian.reduce((sum, t) => sum + t.spanMs, 0),
      cli: cliResult,
    };
  } finally {
    await mocks.close();
  }
}

async function timedInventory(instances: readonly ResolvedInstance[], now: Date, options: InventoryOptions = {}): Promise<Timed> {
  const clock = new RequestClock();
  const started = performance.now();
  const result = await runInventory(instances, { ...options, now, fetchFor: () => clock.fetch });
  const callMs = performance.now() - started;
  const failed = result.results.filter((r) => !r.ok);
  // The mocks are healthy, so a failure here is a bug, not a measurement.
  if (failed.length) throw new Error(`inventory failed: ${failed.map((f) => f.error?.message).join('; ')}`);
  return { spanMs: clock.spanMs, callMs, requests: clock.requests, keys: result.records.length };
}

function medianTimed(samples: readonly Timed[]): Timed {
  return {
    spanMs: median(samples.map((s) => s.spanMs)),
    callMs: median(samples.map((s) => s.callMs)),
    requests: samples[0]!.requests,
    keys: samples[0]!.keys,
  };
}
