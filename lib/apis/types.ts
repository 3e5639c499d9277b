import type { ResolvedInstance } from '../config';
import type { Ledger } from '../ledger';
import type { OwnerDirectory } from '../owners';
import type { RecordFields } from '../record';
import type { VendorId } from '../vendors';
import type { InstanceHttp, VendorErrors } from './http';

/**
 * What the engine hands an adapter. The contract is small on purpose: an adapter reads replies and
 * records evidence; it never decides that a list is complete (docs/completeness.md).
 * - Paged lists are read with `readOffsetList` (lib/apis/pager.ts), which reads until an empty page
 *   and records every page and count claim in the ledger.
 * - A list answered in one reply goes to `ledger.list(name).page(records, claims)` then `.finish('whole-reply')`,
 *   or, for a single key, to `emit`.
 * - The engine collapses repeated key ids, and ends the instance `incomplete` when the ledger shows a
 *   list not read to its end, a list still moving, or fewer distinct keys than a credible claim.
 */
export interface AdapterContext {
  instance: ResolvedInstance;
  http: InstanceHttp;
  /** The export's one clock (records count their days left from it). */
  now: Date;
  /** A key read outside a paged list; a key id already read is collapsed. Emitted at once, so a later failure keeps it. */
  emit: (record: RecordFields) => void;
  /** The instance's evidence: lists, pages, claims, unreadable dates. */
  ledger: Ledger;
  /** Bounded concurrency for the pages after the first (default 6). */
  pagePool: number;
  /** Progress for long, paged lists: keys read so far out of the largest count claimed. */
  progress?: (read: number, total: number | undefined) => void;
  /**
   * Read, but something the user should know ("ok with warnings"): the detail says what is missing;
   * the engine prefixes the instance. Never for a short count: the engine finds those in the ledger.
   */
  warn: (detail: string) => void;
}

export interface VendorAdapter {
  id: VendorId;
  /** Error body shape and auth advice for the shared HTTP layer. */
  errors: VendorErrors;
  /** Reads every key of the instance through `ctx.http`, recording evidence in `ctx.ledger`; throws InstanceError on failure. */
  list(ctx: AdapterContext): Promise<void>;
  /**
   * After the keys, best effort: the instance's user list, so each key's owner can be found in it
   * (lib/owners.ts). Undefined, with a warning through `ctx.warn`, when it cannot be read; it never
   * throws over that, so owner details can only add warnings, never fail the keys already read.
   */
  owners?(ctx: AdapterContext): Promise<OwnerDirectory | undefined>;
}
