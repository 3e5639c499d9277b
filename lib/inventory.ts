import pLimit from 'p-limit';
import { baseUrl, type ResolvedInstance } from './config';
import { InstanceError, redact, type FailureKind } from './apis/errors';
import { defaultHttpOptions, InstanceHttp, type FetchLike, type HttpOptions } from './apis/http';
import { adapters } from './apis/index';
import type { AdapterContext, VendorAdapter } from './apis/types';
import { COVERAGE, type Coverage } from './coverage';
import { Ledger, type LedgerSummary } from './ledger';
import { applyOwners } from './owners';
import { finishRecord, type KeyRecord } from './record';
import type { VendorId } from './vendors';

export interface InstanceResult {
  instance: string;
  vendor: VendorId;
  ok: boolean;
  /** Keys read, including those read before a failure. */
  count: number;
  error?: { kind: FailureKind | 'internal'; message: string };
  /** docs/contract.md#outcomes "ok with warnings": each names the instance and what is missing; never changes `ok`. */
  warnings: string[];
  /** What the credential can see: an `ok` read is complete for this scope (docs/completeness.md). */
  coverage: Coverage;
  /** The evidence the outcome was decided from. */
  ledger: LedgerSummary;
  durationMs: number;
}

export interface InventoryResult {
  records: KeyRecord[];
  results: InstanceResult[];
}

export type ProgressEvent =
  | { type: 'start'; instance: string }
  | { type: 'page'; instance: string; read: number; total: number | undefined }
  | { type: 'done'; result: InstanceResult };

export interface InventoryOptions {
  /** Per-instance fetch (the CLI trusts each instance's caFile); default globalThis.fetch. */
  fetchFor?: (instance: ResolvedInstance) => FetchLike;
  http?: Partial<Omit<HttpOptions, 'fetch'>>;
  /** Instances read at once; default: instancePool of the fleet. */
  concurrency?: number;
  /** Default DEFAULT_PAGE_POOL. */
  pagePool?: number;
  now?: Date;
  onProgress?: (event: ProgressEvent) => void;
  /** Awaited as each instance finishes, inside its pool slot (the extension caches and checkpoints here). */
  onInstanceRead?: (instance: ResolvedInstance, outcome: InstanceOutcome) => Promise<void>;
}

export interface InstanceOutcome {
  records: KeyRecord[];
  result: InstanceResult;
}

/** Pages of one instance read at once after the first (docs/benchmarks.md#budgets). */
export const DEFAULT_PAGE_POOL = 6;

/**
 * Each instance is a different server, so a slot to wait for only adds waves (docs/benchmarks.md#budgets: a fleet of
 * 50 together ≤ 1.3 × the slowest alone): the pool grows with the fleet. Each instance keeps its own
 * bounded page pool, so the ceiling bounds the sockets open at once (64 × pagePool).
 */
export function instancePool(instances: number): number {
  return Math.min(Math.max(instances, 8), 64);
}

/** Reads every instance concurrently; one failing never stops the others, and keeps the rows it read. */
export async function runInventory(instances: readonly ResolvedInstance[], options: InventoryOptions = {}): Promise<InventoryResult> {
  const now = options.now ?? new Date();
  const limit = pLimit(options.concurrency ?? instancePool(instances.length));
  const perInstance = await Promise.all(
    instances.map((instance) =>
      limit(async () => {
        const outcome = await readInstance(instance, options, now);
        await options.onInstanceRead?.(instance, outcome);
        return outcome;
      }),
    ),
  );
  return {
    // concat, not flatMap: V8 copies whole arrays at once for concat, 100,000 records in a twentieth of flatMap's time.
    records: ([] as KeyRecord[]).concat(...perInstance.map((p) => p.records)),
    results: perInstance.map((p) => p.result),
  };
}

export async function readInstance(
  instance: ResolvedInstance,
  options: InventoryOptions,
  now: Date,
): Promise<InstanceOutcome> {
  const started = Date.now();
  const records: KeyRecord[] = [];
  const warnings: string[] = [];
  const adapter: VendorAdapter = adapters[instance.vendor];
  const secrets = [instance.apiKey, instance.password, instance.sessionToken].filter((s): s is string => !!s);
  // The ledger owns de-duplication: a key id read twice (a repeated entry, a list read again) is one row.
  const named = { instance: instance.name, vendor: instance.vendor };
  const ledger = new Ledger((fields) => records.push(finishRecord(fields, now, named)));
  const warn = (detail: string) => void warnings.push(`${instance.name} (${instance.vendor}): ${redact(detail, secrets)}`);
  options.onProgress?.({ type: 'start', instance: instance.name });
  let error: InstanceResult['error'];
  let http: InstanceHttp | undefined;
  try {
    http = new InstanceHttp(instance.name, instance.vendor, baseUrl(instance), adapter.errors, secrets, {
      ...defaultHttpOptions(options.fetchFor?.(instance)),
      ...options.http,
    });
    http.warn = warn;
    const ctx: AdapterContext = {
      instance,
      http,
      now,
      pagePool: options.pagePool ?? DEFAULT_PAGE_POOL,
      ledger,
      emit: (fields) => void ledger.emit(fields),
      warn,
      progress: (read, total) => options.onProgress?.({ type: 'page', instance: instance.name, read, total }),
    };
    await adapter.list(ctx);
    // Owner details only dress the keys read: the adapter warns when they cannot be had.
    const owners = records.length ? await adapter.owners?.(ctx) : undefined;
    if (owners) applyOwners(records, owners, now);
  } catch (caught) {
    error =
      caught instanceof InstanceError
        ? { kind: caught.kind, message: caught.message }
        : // A bug must not leak a secret through its message either.
          { kind: 'internal', message: `${instance.name} (${instance.vendor}): internal error: ${redact(String((caught as Error)?.message ?? caught), secrets)}` };
  }
  // The engine, not the adapter, decides whether the read is complete: from the evidence.
  const verdict = ledger.verdict();
  for (const warning of verdict.warnings) warn(warning);
  if (!error && verdict.incomplete) error = { kind: 'incomplete', message: `${instance.name} (${instance.vendor}): ${redact(verdict.incomplete, secrets)}` };
  const result: InstanceResult = {
    instance: instance.name,
    vendor: instance.vendor,
    ok: !error,
    count: records.length,
    error,
    warnings,
    coverage: COVERAGE[instance.vendor],
    ledger: ledger.toJSON(http?.requestCount ?? 0),
    durationMs: Date.now() - started,
  };
  options.onProgress?.({ type: 'done', result });
  return { records, result };
}
