import type { ResolvedInstance } from '../../lib/config';
import { runInventory, type InventoryOptions, type InventoryResult } from '../../lib/inventory';
import { cacheInstanceResult } from './cache';
import { parkIfRefused } from './call-guard';

export interface ReadOptions {
  inventory?: InventoryOptions;
  /** Runs after an instance's outcome is cached: the refresh checkpoint hangs off this. */
  onInstanceDone?: (name: string) => Promise<void>;
  /** Keys read so far over all instances, and the total once every instance has announced one. */
  onProgress?: (read: number, total?: number) => void;
  /** Whether each outcome goes into the popup's cache (default true). */
  cache?: boolean;
}

/**
 * Reads instances concurrently (lib/inventory's runInventory) and caches each one's keys and
 * status the moment it finishes, so a worker stopped half-way keeps what it finished.
 */
export async function readAndCache(instances: readonly ResolvedInstance[], options: ReadOptions = {}): Promise<InventoryResult> {
  const now = options.inventory?.now ?? new Date();
  const read = new Map<string, number>();
  const totals = new Map<string, number>();
  const report = () => {
    let sum = 0;
    for (const n of read.values()) sum += n;
    const total = totals.size === instances.length ? [...totals.values()].reduce((a, b) => a + b, 0) : undefined;
    options.onProgress?.(sum, total);
  };
  return runInventory(instances, {
    ...options.inventory,
    now,
    onProgress: (event) => {
      options.inventory?.onProgress?.(event);
      if (event.type === 'page') {
        read.set(event.instance, event.read);
        if (event.total !== undefined) totals.set(event.instance, event.total);
      } else if (event.type === 'done') {
        read.set(event.result.instance, event.result.count);
        totals.set(event.result.instance, event.result.count);
      } else return;
      report();
    },
    onInstanceRead: async (inst, outcome) => {
      await parkIfRefused(inst, outcome.result);
      if (options.cache !== false) await cacheInstanceResult(inst, outcome.records, outcome.result, now);
      await options.onInstanceDone?.(inst.name);
    },
  });
}
