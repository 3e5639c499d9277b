import type { FetchLike } from '../lib/apis/http';
import type { ResolvedInstance } from '../lib/config';
import { runInventory } from '../lib/inventory';
import { startFleet } from './fleet';
import { replayFetch, RequestClock } from './request-clock';
import { median } from './stats';

export interface PagingOptions {
  tokens?: number;
  pageCap?: number;
  latencyMs?: number;
  pool?: number;
  rounds?: number;
}

export interface PagingResult {
  tokens: number;
  pageCap: number;
  latencyMs: number;
  pool: number;
  pages: number;
  /** 1 + ceil((pages − 1) / pool): the first page reveals the total, the rest go `pool` at a time. */
  idealRoundTrips: number;
  /** One page request alone, body read: median. */
  roundTripMs: number;
  /** The adapter's own work on every page (JSON, zod, records), measured by replaying recorded bodies with no network. */
  parseMs: number;
  idealMs: number;
  /** The runInventory call for the instance: median over the rounds. */
  wallMs: number;
  wallRuns: number[];
  /** First request → last response: median. */
  spanMs: number;
  requests: number;
  /** Most requests the server saw at once over every round. */
  maxInFlight: number;
}

export async function benchPaging({ tokens = 10_000, pageCap = 100, latencyMs = 50, pool = 6, rounds = 3 }: PagingOptions = {}): Promise<PagingResult> {
  const now = new Date();
  const fleet = await startFleet([{ name: 'vault', vendor: 'metadefender-vault', latencyMs, tokens, pageCap }], now);
  try {
    const instance = fleet.instances[0]!;
    const server = fleet.servers.get('vault')!;

    // Warm-up that also records every page body for the replay below.
    const recorder = new RequestClock(undefined, true);
    await read(instance, now, pool, tokens, recorder.fetch);

    const roundTrips: number[] = [];
    const firstPage = [...recorder.bodies.keys()][0]!;
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      const response = await fetch(firstPage, { headers: { authorization: `Bearer ${instance.apiKey}`, accept: 'application/json' } });
      await response.text();
      roundTrips.push(performance.now() - started);
    }

    const parseRuns: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      await read(instance, now, pool, tokens, replayFetch(recorder.bodies));
      parseRuns.push(performance.now() - started);
    }

    const walls: number[] = [];
    const spans: number[] = [];
    let maxInFlight = 0;
    let requests = 0;
    for (let round = 0; round < rounds; round++) {
      server.resetStats();
      const clock = new RequestClock();
      const started = performance.now();
      await read(instance, now, pool, tokens, clock.fetch);
      walls.push(performance.now() - started);
      spans.push(clock.spanMs);
      requests = clock.requests;
      maxInFlight = Math.max(maxInFlight, server.maxInFlight);
      // A broken invariant, not a slow result: the benchmark stops and says so.
      if (server.maxInFlight > pool)
        throw new Error(`POOL EXCEEDED: the Vault server saw ${server.maxInFlight} requests at once with a page pool of ${pool}: the pool is not bounding the pages`);
    }

    const pages = Math.ceil(tokens / pageCap);
    const idealRoundTrips = 1 + Math.ceil((pages - 1) / pool);
    const roundTripMs = median(roundTrips);
    const parseMs = median(parseRuns);
    return {
      tokens,
      pageCap,
      latencyMs,
      pool,
      pages,
      idealRoundTrips,
      roundTripMs,
      parseMs,
      idealMs: idealRoundTrips * roundTripMs + parseMs,
      wallMs: median(walls),
      wallRuns: walls,
      spanMs: median(spans),
      requests,
      maxInFlight,
    };
  } finally {
    await fleet.close();
  }
}

async function read(instance: ResolvedInstance, now: Date, pool: number, tokens: number, fetchLike: FetchLike): Promise<void> {
  const result = await runInventory([instance], { now, pagePool: pool, fetchFor: () => fetchLike });
  const [outcome] = result.results;
  if (!outcome?.ok) throw new Error(`reading the Vault mock failed: ${outcome?.error?.message}`);
  if (outcome.count !== tokens) throw new Error(`read ${outcome.count} of ${tokens} Vault tokens`);
}
