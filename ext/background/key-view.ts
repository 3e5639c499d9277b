import type { KeyMeta } from '../../lib/messages';
import { olderThan } from '../../lib/owners';
import { compareUnits, countInto, daysLeftAt, statusAt, type Buckets } from '../../lib/record';
import { ageAt, keyAt, msLeftAt, ORPHANED, type KeyColumns } from '../key-columns';
import { inWindow, MAX_KEY_ROWS, timelineBar, TIMELINE_WEEKS, type KeysView, type KeyUrgency, type KeyWindow, type TimelineBar } from '../ui/keys-view';

/**
 * The popup's key list over every cached key, computed here so the popup never receives 100,000
 * keys (docs/benchmarks.md#budgets: first render ≤ 100 ms, search within a frame). One pass per question, no sort
 * of the whole list: the first rows are picked with a bounded heap.
 */

/**
 * What the popup's list shows: a search (`key-search`), a day window or the keys due for rotation
 * (`filter-rotate`: older than `maxKeyAgeDays`, the rotation policy), and a timeline week.
 */
export interface KeyFilter {
  query: string;
  within: KeyWindow | 'rotate';
  week?: TimelineBar;
  maxKeyAgeDays?: number;
}

export const NO_FILTER: KeyFilter = { query: '', within: 'all' };

export interface KeyOverview {
  totals: Buckets;
  byInstance: Map<string, Buckets>;
  /** Keys whose owner is not in the tenant's user list, per instance. */
  orphaned: Map<string, number>;
  /** Keys older than the rotation policy (0 without one). */
  rotate: number;
  /** Index 0: expired; 1..12: the weeks ahead (docs/contract.md#ahead-of-expiry timeline). */
  timeline: number[];
  /** The list with no search and no filter. */
  first: KeysView;
}

const emptyBuckets = (): Buckets => ({ total: 0, expired: 0, within7: 0, within30: 0, never: 0 });

/** One reused urgency per loop: the shared predicates (inWindow, timelineBar, buckets) without an object per key. */
function urgencyAt(c: KeyColumns, i: number, now: number, into: KeyUrgency): KeyUrgency {
  const msLeft = msLeftAt(c, i, now);
  into.status = statusAt(msLeft, c.expired[i] === 1);
  into.days_left = daysLeftAt(msLeft);
  return into;
}

/** Totals, each instance's buckets, the timeline and the unfiltered list at `now`: what the popup opens with, in one pass. */
export function overview(columns: readonly KeyColumns[], now: number, { limit = MAX_KEY_ROWS, maxKeyAgeDays }: { limit?: number; maxKeyAgeDays?: number } = {}): KeyOverview {
  const counts: Counts = {
    totals: emptyBuckets(),
    byInstance: new Map(columns.map((c) => [c.instance, emptyBuckets()])),
    orphaned: new Map(columns.map((c) => [c.instance, 0])),
    rotate: 0,
    timeline: new Array<number>(TIMELINE_WEEKS + 1).fill(0),
  };
  const first = scan(columns, { ...NO_FILTER, maxKeyAgeDays }, now, limit, counts);
  return { ...counts, first };
}

type Counts = Omit<KeyOverview, 'first'>;

interface Candidate {
  c: KeyColumns;
  i: number;
  /** Expired 0, dated 1, never 2; then days left (never: Infinity). */
  rank: number;
  days: number;
}

/** The list's order: expired first, then the soonest, never-expiring last; ties by instance, owner, key id. */
function compare(a: Candidate, b: Candidate): number {
  return (
    a.rank - b.rank ||
    a.days - b.days ||
    compareUnits(a.c.instance, b.c.instance) ||
    compareUnits(a.c.owner[a.i]!, b.c.owner[b.i]!) ||
    compareUnits(a.c.keyId[a.i]!, b.c.keyId[b.i]!)
  );
}

/** The `limit` first candidates in list order: a max-heap whose root is the last of them. */
class FirstRows {
  readonly heap: Candidate[] = [];
  constructor(private readonly limit: number) {}

  /** Whether a key of this rank and days could still make the list, before anything is allocated for it. */
  mayTake(rank: number, days: number): boolean {
    const last = this.heap[0];
    return this.heap.length < this.limit || (last !== undefined && (rank < last.rank || (rank === last.rank && !(days > last.days))));
  }

  offer(candidate: Candidate): void {
    const heap = this.heap;
    if (heap.length < this.limit) {
      heap.push(candidate);
      for (let i = heap.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (compare(heap[i]!, heap[parent]!) <= 0) break;
        [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
        i = parent;
      }
      return;
    }
    if (this.limit === 0 || compare(candidate, heap[0]!) >= 0) return;
    heap[0] = candidate;
    for (let i = 0; ; ) {
      const [l, r] = [2 * i + 1, 2 * i + 2];
      let largest = i;
      if (l < heap.length && compare(heap[l]!, heap[largest]!) > 0) largest = l;
      if (r < heap.length && compare(heap[r]!, heap[largest]!) > 0) largest = r;
      if (largest === i) break;
      [heap[i], heap[largest]] = [heap[largest]!, heap[i]!];
      i = largest;
    }
  }

  sorted(): Candidate[] {
    return [...this.heap].sort(compare);
  }
}

/** The first `limit` keys matching `filter` in list order, aged at `now`, and how many match in all. */
export function selectKeys(columns: readonly KeyColumns[], filter: KeyFilter, now: number, limit = MAX_KEY_ROWS): KeysView {
  return scan(columns, filter, now, limit);
}

/**
 * One pass over every key, or with a search over the keys holding it; `counts` (the overview) sees
 * every key. The loop calls no function made per call: V8 would drop its optimized code each time.
 */
function scan(columns: readonly KeyColumns[], filter: KeyFilter, now: number, limit: number, counts?: Counts): KeysView {
  const needle = filter.query.trim().toLowerCase();
  const first = new FirstRows(limit);
  const u: KeyUrgency = { status: 'active', days_left: null };
  let matched = 0;
  const rotateOnly = filter.within === 'rotate';
  const window = filter.within === 'rotate' ? 'all' : filter.within;
  for (const c of columns) {
    // A search names the instance (every key of it), or each key is found in its search text.
    const search = needle && !c.instance.toLowerCase().includes(needle) ? searchTextOf(c) : undefined;
    const buckets = counts?.byInstance.get(c.instance);
    let orphaned = 0;
    let at = search ? search.text.indexOf(needle) : 0;
    for (let i = 0; ; i++) {
      if (!search) {
        if (i >= c.owner.length) break;
      } else {
        if (at < 0) break;
        while (search.starts[i + 1]! <= at) i++;
        at = search.text.indexOf(needle, search.starts[i + 1]!);
      }
      urgencyAt(c, i, now, u);
      const old = (rotateOnly || counts !== undefined) && olderThan(ageAt(c, i, now), filter.maxKeyAgeDays);
      if (counts && buckets) {
        countInto(counts.totals, u);
        countInto(buckets, u);
        const bar = timelineBar(u);
        if (bar !== undefined) counts.timeline[bar + 1]!++;
        if (c.ownerState[i] === ORPHANED) orphaned++;
        if (old) counts.rotate++;
      }
      if (!inWindow(u, window) || (rotateOnly && !old) || (filter.week !== undefined && timelineBar(u) !== filter.week)) continue;
      matched++;
      const rank = u.status === 'expired' ? 0 : u.days_left === null ? 2 : 1;
      const days = u.days_left ?? Infinity;
      if (first.mayTake(rank, days)) first.offer({ c, i, rank, days });
    }
    if (counts) counts.orphaned.set(c.instance, orphaned);
  }
  const rows: KeyMeta[] = first.sorted().map(({ c, i }) => keyAt(c, i, now));
  return { rows, matched };
}

/**
 * What `key-search` looks in (docs/contract.md#ahead-of-expiry: owner, description, instance, key id), lower-cased once per
 * instance into one text, each key's fields between NULs so a search never spans two of them.
 */
interface SearchText {
  text: string;
  /** Where each key's fields start in `text`; one more entry marks the end. */
  starts: Int32Array;
}

const searchTexts = new WeakMap<KeyColumns, SearchText>();

/** Makes each instance's search text ahead of the first search (a popup just opened: a search may follow). */
export function prepareSearch(columns: readonly KeyColumns[]): void {
  for (const c of columns) searchTextOf(c);
}

function searchTextOf(c: KeyColumns): SearchText {
  let found = searchTexts.get(c);
  if (found) return found;
  const n = c.owner.length;
  const parts = new Array<string>(n);
  const starts = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    // Lower-cased key by key: lower case may change a string's length, and the offsets must hold.
    parts[i] = `${c.owner[i]}\u0000${c.description[i]}\u0000${c.keyId[i]}\u0000`.toLowerCase();
    starts[i + 1] = starts[i]! + parts[i]!.length;
  }
  found = { text: parts.join(''), starts };
  searchTexts.set(c, found);
  return found;
}
