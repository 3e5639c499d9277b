import { claimsIn, claimedCount, isCredibleCount, looseName, type ListLedger, type RawClaim } from '../ledger';
import type { RecordFields } from '../record';
import type { AdapterContext } from './types';

/**
 * The one reader of offset-paged lists (Vault/MFT tokens, Cortex keys). Counts are checks, never
 * stop signals: a list ends only on an empty page, whatever the counts say, because servers cap
 * pages below what was asked and counts can be 0, null, page-sized, renamed or wrong.
 *
 * A list can move while it is read (keys created or deleted between two offset pages shift every
 * later entry, so one is skipped or read twice). Each page therefore starts on the last entry of the
 * page before it: the same position must hold the same key. A boundary that cannot be overlapped
 * (pages of one entry, a page after a short one) is checked by reading the whole list again. A list
 * that moved is read once more; still moving, the ledger says so and the engine ends `incomplete`.
 */
export interface OffsetList<T> {
  /** The list's name in the ledger and the evidence, e.g. `GET /vault_rest/tokens`. */
  name: string;
  /** Entries asked for per request; servers may send fewer. */
  ask: number;
  /** The entries at [start, start + count) and the counts the reply claims (see `pageClaims`). */
  fetch(start: number, count: number): Promise<{ items: T[]; claims: RawClaim[] }>;
  /** The entry's key id ('' when it has none). */
  id(item: T): string;
  record(item: T): RecordFields;
}

/**
 * A brake for servers that never send an empty page: without a credible count, 1,010 requests
 * (100,000 keys at 100 a page); with one, three times the pages it implies. A count that lies low
 * ends a huge list loudly, never silently.
 */
const MIN_REQUESTS = 1_010;
const MAX_REQUESTS = 20_000;

export async function readOffsetList<T>(ctx: AdapterContext, list: OffsetList<T>): Promise<void> {
  const ledger = ctx.ledger.list(list.name);
  let moved = 0;
  let unchecked: string[] | undefined;
  for (;;) {
    const pass = await new Pass(ctx, list, ledger).run();
    // An unchecked read is proven by a second read that finds every key at the same position.
    if (pass.status === 'stable' || (pass.status === 'unchecked' && unchecked && sameSequence(unchecked, pass.sequence))) {
      ledger.finish('empty-page');
      return;
    }
    if (pass.status === 'unchecked' && !unchecked) {
      unchecked = pass.sequence;
    } else {
      if (++moved > 1) {
        ledger.stillMoving();
        return;
      }
      unchecked = pass.status === 'unchecked' ? pass.sequence : undefined;
    }
    ledger.restart();
  }
}

const sameSequence = (a: string[], b: string[]) => a.length === b.length && a.every((id, i) => id === b[i]);

type PassResult = { status: 'stable' | 'moved' | 'unchecked'; sequence: string[] };

/** One read of the list from position 0 to an empty page. */
class Pass<T> {
  /** position → key id, for every position read in this pass. */
  // An array, not a Map: positions are small integers, and a list of 100,000 keys fills 100,000 of them.
  private readonly at: string[] = [];
  private positions = 0;
  /** Credible counts seen in this pass, by source: one that changes means the list moved. */
  private readonly counts = new Map<string, number>();
  private moved = false;
  private uncheckedBoundary = false;
  /** The longest page seen: the server's cap as far as it shows. */
  private fullPage = 0;
  /** The largest credible count of the list itself (not a superset): plans the concurrent pages and the brake. */
  private largestCount = 0;
  private gap = 0;
  private requests = 0;
  /** Pages in a row that brought no key new to this pass. */
  private stale = 0;

  constructor(
    private readonly ctx: AdapterContext,
    private readonly list: OffsetList<T>,
    private readonly ledger: ListLedger,
  ) {}

  async run(): Promise<PassResult> {
    const first = await this.read(0);
    if (first > 0) await this.concurrently(first);
    let overlapDone = false;
    while (first > 0 && !this.moved) {
      const gap = this.firstGap();
      // Each page starts on the last entry already read (unless the server never sent two entries
      // in one page, when nothing new could follow it); a reply of that entry alone is then
      // followed by a request exactly at the gap, which must come back empty to end the list.
      if (!overlapDone && this.fullPage >= 2) {
        // Where a count says the list ends, both are asked at once: the list ends in one round
        // trip, not two, and what they bring if it goes on is read on from as if asked in turn.
        if (this.largestCount > 0 && gap >= this.largestCount) {
          const [overlap, after] = await Promise.all([this.read(gap - 1), this.read(gap)]);
          if (overlap <= 1) {
            if (after === 0) break;
            // Nothing overlapped the request at the gap: entries after it need the second read.
            this.uncheckedBoundary = true;
          }
          continue;
        }
        overlapDone = (await this.read(gap - 1)) <= 1;
        continue;
      }
      overlapDone = false;
      if ((await this.read(gap)) === 0) break;
      // Entries after a boundary no overlap checked: a second read must find them all in place.
      this.uncheckedBoundary = true;
    }
    // filter skips the positions never read, and keeps the rest in order.
    const sequence = this.at.filter(() => true);
    return { status: this.moved ? 'moved' : this.uncheckedBoundary ? 'unchecked' : 'stable', sequence };
  }

  /**
   * The pages after the first, `pagePool` at a time, planned up to the largest credible count (a
   * hint for planning, never a stop), each starting on the last entry of the one before. An empty
   * page, a move or an error stops new requests; pages under way still land, so their rows count.
   */
  private async concurrently(firstLength: number): Promise<void> {
    const step = firstLength - 1;
    if (step < 1 || this.largestCount <= firstLength || this.ctx.pagePool < 2) return;
    let next = step;
    let halt = false;
    let failure: unknown;
    const worker = async () => {
      while (!halt && !this.moved && next < this.largestCount) {
        const start = next;
        next += step;
        try {
          if ((await this.read(start)) === 0) halt = true;
        } catch (error) {
          halt = true;
          failure ??= error;
        }
      }
    };
    await Promise.all(Array.from({ length: this.ctx.pagePool }, worker));
    if (failure) throw failure;
  }

  /** Reads the page at `start`, checks it against the positions already read, records it; returns its length. */
  private async read(start: number): Promise<number> {
    const brake = Math.min(MAX_REQUESTS, Math.max(MIN_REQUESTS, 3 * Math.ceil(this.largestCount / Math.max(1, this.fullPage - 1)) + 20));
    if (++this.requests > brake)
      throw this.ctx.http.fail(
        'paging',
        `gave up on ${this.list.name} after ${brake} requests without an empty page (${this.ctx.ledger.distinctKeys} keys read): the server's paging does not end; the keys read are kept`,
      );
    const { items, claims } = await this.list.fetch(start, this.list.ask);
    const ids = items.map((item) => this.list.id(item));
    if (start > 0 && ids.length >= 2 && this.positions >= 2 && ids[0] === this.at[0] && ids[1] === this.at[1] && this.at[start] !== ids[0])
      throw this.repeating(start, 'repeats the first page (the server seems to ignore the start position)');
    // Where an entry was read before, it must still be there: anything else means the list moved.
    if (ids.length === 0 && this.at[start] !== undefined) this.moved = true;
    // Only entries at positions not read before are new evidence: the overlapping entry is not counted twice.
    const unread: T[] = [];
    ids.forEach((id, i) => {
      const known = this.at[start + i];
      if (known === undefined) {
        this.at[start + i] = id;
        this.positions++;
        unread.push(items[i]!);
      } else if (known !== id) this.moved = true;
    });
    for (const claim of claims) {
      const count = claimedCount(claim.value);
      if (!isCredibleCount(count, items.length)) continue;
      const before = this.counts.get(claim.source);
      if (before !== undefined && before !== count) this.moved = true;
      this.counts.set(claim.source, count);
      if (!claim.superset) this.largestCount = Math.max(this.largestCount, count);
    }
    this.fullPage = Math.max(this.fullPage, items.length);
    const fresh = this.ledger.page(
      unread.map((item) => this.list.record(item)),
      claims,
      items.length,
    );
    // A reply of only the overlapping entry brings nothing new by design.
    if (start > 0 && ids.length > (this.at[start] === ids[0] ? 1 : 0)) {
      this.stale = fresh ? 0 : this.stale + 1;
      if (this.stale >= 3) throw this.repeating(start, 'and the pages before it only repeat keys already read');
    }
    this.ctx.progress?.(this.ctx.ledger.distinctKeys, this.largestCount || undefined);
    return items.length;
  }

  private repeating(start: number, what: string) {
    return this.ctx.http.fail('paging', `the page of ${this.list.name} at position ${start} ${what}: ${this.ctx.ledger.distinctKeys} keys read; the keys read are kept`);
  }

  /** The first position no page of this pass has delivered; positions only fill up, so it only grows. */
  private firstGap(): number {
    while (this.at[this.gap] !== undefined) this.gap++;
    return this.gap;
  }
}

/**
 * For a page schema's preprocess: a list field that is null while every count the reply carries is
 * 0 is an empty list; any other null or missing list is left for the schema to refuse (never read
 * as "zero keys").
 */
export function nullListWhenCountedZero(listFields: readonly string[]) {
  const wanted = new Set(listFields.map(looseName));
  return (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    const entries = Object.entries(value);
    const listField = entries.find(([name]) => wanted.has(looseName(name)));
    if (!listField || listField[1] !== null) return value;
    const counts = claimsIn(value).map((c) => claimedCount(c.value));
    if (!counts.length || counts.some((c) => c !== 0)) return value;
    return { ...value, [listField[0]]: [] };
  };
}
