import { countOf } from './plural';
import type { RecordFields } from './record';

/**
 * The evidence of one instance's read, kept by the engine (docs/completeness.md): what was asked,
 * what came back, and every count the server claimed. The engine, not the adapter, decides from it
 * whether the instance is complete: an adapter can only add evidence, never declare itself done.
 */

/** A count as the server sent it: a body field or a header, before it is judged. */
export interface RawClaim {
  /** Where it came from, as sent: `filter_count`, `FilterCount`, `X-Total-Count`, `Link rel="next"`… */
  source: string;
  value: unknown;
  /**
   * The count covers more than the named lists can return (Cortex `TOTAL_COUNT` also counts keys the
   * unfiltered list leaves out): short of it is a warning once every named list was read to its end,
   * `incomplete` otherwise. Without this, a claim is about the list whose page carried it.
   */
  superset?: string[];
}

export interface Claim {
  /** The list whose page carried it. */
  list: string;
  /** The read of that list it came from (a list that moved is read again). */
  pass: number;
  source: string;
  /** The count, or null when the value is not a count (then `raw` holds it as text). */
  value: number | null;
  raw?: string;
  /** 0, null, not a count, or the size of the page that carried it: proves nothing. */
  credible: boolean;
  superset?: string[];
  /** Pages that carried this same claim. */
  times: number;
}

export type ListEnd = 'empty-page' | 'whole-reply' | 'unfinished';

export interface ListSummary {
  name: string;
  /** Reads of the list: more than 1 when it moved (or could not be checked) and was read again. */
  passes: number;
  pages: number;
  items: number;
  /** Distinct keys in the last read. */
  distinct: number;
  end: ListEnd;
  /** Still changing when read again: the instance is `incomplete`. */
  moving: boolean;
}

/** JSON form, carried by every instance result and the evidence file. */
export interface LedgerSummary {
  /** HTTP requests sent, retries included. */
  requests: number;
  pages: number;
  itemsSeen: number;
  distinctKeys: number;
  /** Entries whose key id was already read: collapsed, never a second row. */
  repeatedIds: number;
  unreadableDates: number;
  claims: Claim[];
  lists: ListSummary[];
}

export interface LedgerVerdict {
  /** Why the instance is `incomplete`, when it is. */
  incomplete?: string;
  warnings: string[];
}

/** Loose field names: `filter_count`, `FilterCount` and `filterCount` are one name. */
export const looseName = (name: string) => name.replace(/[_\-\s]/g, '').toLowerCase();

// Any top-level field that reads as a count of the list: filter_count, total, count, totalItems…
const COUNT_FIELD = /count$|^total/;

/** Every count a page body and its headers claim, as sent. */
export function claimsIn(body: unknown, headers?: Headers): RawClaim[] {
  const claims: RawClaim[] = [];
  if (typeof body === 'object' && body !== null && !Array.isArray(body))
    for (const [field, value] of Object.entries(body)) if (COUNT_FIELD.test(looseName(field))) claims.push({ source: field, value });
  const total = headers?.get('x-total-count');
  if (total !== null && total !== undefined) claims.push({ source: 'X-Total-Count', value: total });
  const link = headers?.get('link');
  if (link && /rel\s*=\s*"?next"?/i.test(link)) claims.push({ source: 'Link rel="next"', value: 'present' });
  return claims;
}

/** A count sent as a number or as digits; anything else is not a count. */
export function claimedCount(value: unknown): number | null {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  if (typeof value === 'string' && /^\s*\d{1,15}\s*$/.test(value)) return Number(value);
  return null;
}

/** Whether a count can prove anything: 0, not a count, or the size of the page that carried it cannot. */
export const isCredibleCount = (count: number | null, pageItems: number): count is number => count !== null && count > 0 && count !== pageItems;

export class Ledger {
  private readonly seen = new KeyIdentities();
  private readonly lists = new Map<string, ListLedger>();
  private readonly claims = new Map<string, Claim>();
  private readonly unreadable = new Set<string>();
  private distinct = 0;
  private items = 0;
  private repeated = 0;
  private pageCount = 0;

  /** `accept` gets each key once: the first time its id is seen (keys without an id are never merged). */
  constructor(private readonly accept: (record: RecordFields) => void) {}

  /** A key read outside any paged list (a single reply). */
  emit(record: RecordFields): boolean {
    this.items++;
    if (record.key_id) {
      if (this.knownElsewhere(record)) return this.repeat();
      this.seen.add(record);
    }
    return this.take(record);
  }

  /** @internal A list's entry new to its current read: a row unless another list or read has it. */
  emitFromList(record: RecordFields, from: ListLedger): boolean {
    this.items++;
    return record.key_id && this.knownElsewhere(record, from) ? this.repeat() : this.take(record);
  }

  /** @internal An entry its own list's read already had. */
  repeatInList(): void {
    this.items++;
    this.repeat();
  }

  /** @internal A list read again: the keys of its read before stay known to the instance. */
  retire(ids: KeyIdentities): void {
    this.seen.addAll(ids);
  }

  /**
   * Whether the instance has the key from anywhere but `from`'s current read: a single reply, a
   * read since restarted, or another list. Each list keeps the keys of its current read itself, so
   * a list read once (the usual case) costs one lookup a key, not two.
   */
  private knownElsewhere(record: RecordFields, from?: ListLedger): boolean {
    if (this.seen.has(record)) return true;
    if (this.lists.size === 1 && from) return false;
    for (const list of this.lists.values()) if (list !== from && list.has(record)) return true;
    return false;
  }

  private repeat(): false {
    this.repeated++;
    return false;
  }

  private take(record: RecordFields): true {
    this.distinct++;
    this.accept(record);
    return true;
  }

  /** The list of that name (one per request shape, e.g. `GET /vault_rest/tokens`). */
  list(name: string): ListLedger {
    let list = this.lists.get(name);
    if (!list) this.lists.set(name, (list = new ListLedger(name, this)));
    return list;
  }

  /** A date field that could not be read: the key keeps its row, without that date. */
  unreadableDate(field: string, keyId: string): void {
    this.unreadable.add(keyId ? `${field} of key ${keyId}` : field);
  }

  get distinctKeys(): number {
    return this.distinct;
  }

  /** @internal ListLedger's page bookkeeping. */
  countPage(): void {
    this.pageCount++;
  }

  /** @internal */
  addClaim(list: string, pass: number, raw: RawClaim, pageItems: number): void {
    const value = claimedCount(raw.value);
    const credible = isCredibleCount(value, pageItems);
    const rawText = value === null && raw.value !== null && raw.value !== undefined ? String(typeof raw.value === 'object' ? JSON.stringify(raw.value) : raw.value).slice(0, 40) : undefined;
    const id = JSON.stringify([list, pass, raw.source, value, rawText, credible]);
    const known = this.claims.get(id);
    if (known) known.times++;
    else
      this.claims.set(id, {
        list,
        pass,
        source: raw.source,
        value,
        ...(rawText === undefined ? {} : { raw: rawText }),
        credible,
        ...(raw.superset ? { superset: raw.superset } : {}),
        times: 1,
      });
  }

  /** The outcome the evidence supports: `incomplete` or not, and what the user should know. */
  verdict(): LedgerVerdict {
    const warnings: string[] = [];
    const problems: string[] = [];
    for (const list of this.lists.values()) {
      if (list.end === 'unfinished' && !list.moving) problems.push(`${list.name} was not read to its end`);
      if (list.moving)
        problems.push(`${list.name} kept changing while it was read, also when read again (keys created or deleted meanwhile): some keys may be missing`);
    }
    const claims = [...this.claims.values()].filter((c) => c.credible);
    for (const list of this.lists.values()) {
      const largest = largestClaim(claims.filter((c) => !c.superset && c.list === list.name && c.pass === list.passes));
      if (largest && largest.value! > list.distinct)
        problems.push(
          `the server announced ${countOf(largest.value!, 'key')} but delivered ${list.distinct}: the list is incomplete (the keys read are kept); ${largest.source} of ${list.name} claimed ${largest.value}`,
        );
    }
    const superset = largestClaim(claims.filter((c) => c.superset));
    if (superset && superset.value! > this.distinct) {
      const readToEnd = superset.superset!.every((name) => this.lists.get(name)?.end === 'empty-page' && !this.lists.get(name)?.moving);
      const gap = `read ${this.distinct} of the ${countOf(superset.value!, 'key')} the server counts (${superset.source})`;
      // Already incomplete for a list's own count: one message, not two.
      if (readToEnd) {
        if (!problems.length) warnings.push(`${gap}; the rest were not returned even when each of these was read to its end: ${superset.superset!.join('; ')}`);
      } else problems.push(`${gap}, and not every list that could hold the rest was read to its end`);
    }
    const unreadable = [...this.unreadable];
    if (unreadable.length)
      warnings.push(
        `${unreadable.length} date${unreadable.length === 1 ? '' : 's'} could not be read and ${unreadable.length === 1 ? 'is' : 'are'} left empty (${unreadable.slice(0, 5).join(', ')}${unreadable.length > 5 ? ', …' : ''}): check ${unreadable.length === 1 ? 'it' : 'them'} in the console`,
      );
    return {
      ...(problems.length ? { incomplete: `${problems.join('; ')}; try again, and report it to the vendor if it persists` } : {}),
      warnings,
    };
  }

  toJSON(requests: number): LedgerSummary {
    return {
      requests,
      pages: this.pageCount,
      itemsSeen: this.items,
      distinctKeys: this.distinct,
      repeatedIds: this.repeated,
      unreadableDates: this.unreadable.size,
      claims: [...this.claims.values()],
      lists: [...this.lists.values()].map((l) => l.summary()),
    };
  }
}

/**
 * What makes two entries one key: the key id, and the secret where the vendor sends one (two
 * different secrets under one id are two keys, never one row hiding the other). No id: never merged.
 */
class KeyIdentities {
  /** Each key id with the secret first read under it; a second secret under one id makes it a set. */
  private readonly byId = new Map<string, string | Set<string>>();
  size = 0;

  /** Adds the record's (key id, secret) pair; false when it was there. No text is built per key: 100,000 keys are read at once. */
  add(record: Pick<RecordFields, 'key_id' | 'key'>): boolean {
    return this.addPair(record.key_id, record.key);
  }

  has(record: Pick<RecordFields, 'key_id' | 'key'>): boolean {
    const known = this.byId.get(record.key_id);
    return known !== undefined && (typeof known === 'string' ? known === record.key : known.has(record.key));
  }

  addAll(other: KeyIdentities): void {
    for (const [id, secrets] of other.byId)
      if (typeof secrets === 'string') this.addPair(id, secrets);
      else for (const secret of secrets) this.addPair(id, secret);
  }

  private addPair(id: string, secret: string): boolean {
    const known = this.byId.get(id);
    if (known === undefined) this.byId.set(id, secret);
    else if (typeof known === 'string') {
      if (known === secret) return false;
      this.byId.set(id, new Set([known, secret]));
    } else if (known.has(secret)) return false;
    else known.add(secret);
    this.size++;
    return true;
  }
}

function largestClaim(claims: Claim[]): Claim | undefined {
  return claims.reduce<Claim | undefined>((best, c) => (best && best.value! >= c.value! ? best : c), undefined);
}

/** One list of an instance (one request shape, paged or not). */
export class ListLedger {
  passes = 1;
  end: ListEnd = 'unfinished';
  moving = false;
  private ids = new KeyIdentities();
  private anonymous = 0;
  private pages = 0;
  private items = 0;

  constructor(
    readonly name: string,
    private readonly ledger: Ledger,
  ) {}

  /**
   * One reply of this list: its entries not read before in this read of the list (each new key goes
   * to the CSV once), the counts it claimed, and how many entries the reply held in all (a count
   * equal to it is page-sized and proves nothing). Returns how many entries were new to this read.
   */
  page(records: readonly RecordFields[], claims: readonly RawClaim[], replyLength = records.length): number {
    this.pages++;
    this.items += records.length;
    this.ledger.countPage();
    for (const claim of claims) this.ledger.addClaim(this.name, this.passes, claim, replyLength);
    let fresh = 0;
    for (const record of records) {
      if (!record.key_id) this.anonymous++;
      else if (!this.ids.add(record)) {
        this.ledger.repeatInList();
        continue;
      }
      fresh++;
      this.ledger.emitFromList(record, this);
    }
    return fresh;
  }

  /** @internal Whether this list's current read has the key. */
  has(record: RecordFields): boolean {
    return this.ids.has(record);
  }

  /** The list moved (or could not be checked) and is read again: the counts of this read start afresh. */
  restart(): void {
    this.passes++;
    this.ledger.retire(this.ids);
    this.ids = new KeyIdentities();
    this.anonymous = 0;
    this.end = 'unfinished';
  }

  finish(end: Exclude<ListEnd, 'unfinished'>): void {
    this.end = end;
  }

  /** Still moving after the read again: the engine ends the instance `incomplete`. */
  stillMoving(): void {
    this.moving = true;
  }

  get distinct(): number {
    return this.ids.size + this.anonymous;
  }

  summary(): ListSummary {
    return { name: this.name, passes: this.passes, pages: this.pages, items: this.items, distinct: this.distinct, end: this.end, moving: this.moving };
  }
}
