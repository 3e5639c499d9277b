import type { ResolvedInstance } from '../config';
import type { OwnerDirectory } from '../owners';
import type { RecordFields } from '../record';
import type { VendorId } from '../vendors';
import type { InstanceHttp, VendorErrors } from './http';

export interface AdapterContext {
  instance: ResolvedInstance;
  http: InstanceHttp;
  /** The export's one clock (records count their days left from it). */
  now: Date;
  /** Emit each key as soon as it is read, so a later failure keeps what was already read. */
  emit: (record: RecordFields) => void;
  /** Bounded concurrency for the pages after the first (SPEC §7: default 6). */
  pagePool: number;
  /** Progress for long, paged lists: keys read so far out of the announced total. */
  progress?: (read: number, total: number | undefined) => void;
  /**
   * Read, but something the user should know (SPEC §1 "ok with warnings"): the detail says what is
   * missing; the engine prefixes the instance. Never for a short count: that is an `incomplete` failure.
   */
  warn: (detail: string) => void;
  /**
   * The number of keys the server said exist for what was asked (e.g. Vault's filter_count). The
   * engine, not the adapter, compares it with the distinct keys emitted: short is an `incomplete`
   * failure (SPEC §1), so no adapter can end `ok` on a count it ignored.
   */
  announce: (count: number) => void;
}

export interface VendorAdapter {
  id: VendorId;
  /** Error body shape and auth advice for the shared HTTP layer. */
  errors: VendorErrors;
  /** Reads every key of the instance through `ctx.http`, emitting records; throws InstanceError on failure. */
  list(ctx: AdapterContext): Promise<void>;
  /**
   * After the keys, best effort: the instance's user list, so each key's owner can be found in it
   * (lib/owners.ts). Undefined, with a warning through `ctx.warn`, when it cannot be read; it never
   * throws over that, so owner details can only add warnings, never fail the keys already read.
   */
  owners?(ctx: AdapterContext): Promise<OwnerDirectory | undefined>;
}
