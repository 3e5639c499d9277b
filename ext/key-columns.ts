import type { KeyMeta } from '../lib/messages';
import { ageDaysSince, type OwnerState } from '../lib/owners';
import { compareUnits, daysLeftAt, statusAt, type KeyRecord } from '../lib/record';
import { msFromIso } from '../lib/utc-date';
import type { VendorId } from '../lib/vendors';

/**
 * One instance's cached keys as columns: no object per key, so 100,000 keys cost a few arrays of
 * strings in the background's memory, and a popup query is a loop over numbers (docs/benchmarks.md#budgets).
 */
export interface KeyColumns {
  instance: string;
  vendor: VendorId;
  owner: string[];
  keyId: string[];
  description: string[];
  /** ISO 8601 as read, or '' (never expires). */
  expires: string[];
  /**
   * `Date.parse` of each expiry; Infinity for '' (never), which no date parses to. A loop over
   * every key reads these numbers and not the strings, scattered across the heap.
   */
  expiresAt: Float64Array;
  /** 1 where the key was already expired when read: kept even if its date lies ahead (the vendor said so). */
  expired: Uint8Array;
  /** ISO 8601 as read, or '' (unknown). */
  created: string[];
  /** The instant of each creation date; NaN where unknown. */
  createdAt: Float64Array;
  /** Index into OWNER_STATES. */
  ownerState: Uint8Array;
  /** The owner's last login, ISO 8601 or ''. */
  lastLogin: string[];
}

/** One character per key in storage, its index the state's code in the columns. */
const OWNER_STATES: readonly OwnerState[] = ['', 'active', 'inactive', 'orphaned'];
/** `ownerState` code of an orphaned key. */
export const ORPHANED = 3;
const OWNER_STATE_CHARS = '-aio';

/**
 * The columns as storage.local keeps them: each text column one string, values joined by line
 * feeds (a `\` or line feed inside a value escaped), the flags one '0'/'1' character per key. A
 * few long strings cross into storage and back at memory speed; 100,000 keys as arrays of
 * values cost seconds of conversion in every write (docs/benchmarks.md#budgets: the extension at scale).
 */
export interface StoredKeyColumns {
  count: number;
  owner: string;
  keyId: string;
  description: string;
  expires: string;
  expired: string;
  /** Absent in items written before owners and ages were kept: then every key's is unknown. */
  created?: string;
  ownerState?: string;
  lastLogin?: string;
}

type ColumnSource = Pick<KeyMeta, 'owner' | 'key_id' | 'description' | 'expires' | 'status'> & Partial<Pick<KeyRecord, 'created' | 'owner_state' | 'owner_last_login'>>;

/**
 * One order for an instance's cached keys, whatever order its pages arrived in (a read's records
 * follow the replies): two reads that found the same keys give the same columns (sameColumns).
 * Every field it keeps takes part, so only keys alike in all of them can tie.
 */
export function cacheOrder(a: ColumnSource, b: ColumnSource): number {
  return (
    compareUnits(a.key_id, b.key_id) ||
    compareUnits(a.owner, b.owner) ||
    compareUnits(a.description, b.description) ||
    compareUnits(a.expires, b.expires) ||
    compareUnits(a.status, b.status) ||
    compareUnits(a.created ?? '', b.created ?? '') ||
    compareUnits(a.owner_state ?? '', b.owner_state ?? '') ||
    compareUnits(a.owner_last_login ?? '', b.owner_last_login ?? '')
  );
}

export function columnsOf(instance: string, vendor: VendorId, keys: readonly ColumnSource[]): KeyColumns {
  const n = keys.length;
  const columns = emptyColumns(instance, vendor, n);
  for (let i = 0; i < n; i++) {
    const k = keys[i]!;
    columns.owner[i] = k.owner;
    columns.keyId[i] = k.key_id;
    columns.description[i] = k.description;
    columns.expires[i] = k.expires;
    columns.expiresAt[i] = expiryInstant(k.expires);
    columns.expired[i] = k.status === 'expired' ? 1 : 0;
    columns.created[i] = k.created ?? '';
    columns.createdAt[i] = k.created ? msFromIso(k.created) : NaN;
    columns.ownerState[i] = Math.max(0, OWNER_STATES.indexOf(k.owner_state ?? ''));
    columns.lastLogin[i] = k.owner_last_login ?? '';
  }
  return columns;
}

function emptyColumns(instance: string, vendor: VendorId, n: number): KeyColumns {
  return {
    instance,
    vendor,
    owner: new Array<string>(n),
    keyId: new Array<string>(n),
    description: new Array<string>(n),
    expires: new Array<string>(n),
    expiresAt: new Float64Array(n),
    expired: new Uint8Array(n),
    created: new Array<string>(n),
    createdAt: new Float64Array(n),
    ownerState: new Uint8Array(n),
    lastLogin: new Array<string>(n),
  };
}

/** Whole days since key `i` was made, at `now`; null when unknown (lib/owners.ts ageDaysAt). */
export const ageAt = (c: KeyColumns, i: number, now: number): number | null => ageDaysSince(c.createdAt[i]!, now);

export const ownerStateAt = (c: KeyColumns, i: number): OwnerState => OWNER_STATES[c.ownerState[i]!]!;

const expiryInstant = (expires: string) => (expires ? msFromIso(expires) : Infinity);

/** Milliseconds from `now` until key `i` expires; undefined when it never does (finishRecord's msLeft). */
export function msLeftAt(c: KeyColumns, i: number, now: number): number | undefined {
  const at = c.expiresAt[i]!;
  return at === Infinity ? undefined : at - now;
}

/** Key `i` as the popup sees it at `now`: status and days left counted again (they count down between refreshes). */
export function keyAt(c: KeyColumns, i: number, now: number): KeyMeta {
  const msLeft = msLeftAt(c, i, now);
  return {
    instance: c.instance,
    vendor: c.vendor,
    owner: c.owner[i]!,
    key_id: c.keyId[i]!,
    description: c.description[i]!,
    status: statusAt(msLeft, c.expired[i] === 1),
    expires: c.expires[i]!,
    days_left: daysLeftAt(msLeft),
    owner_state: ownerStateAt(c, i),
    owner_last_login: c.lastLogin[i]!,
    age_days: ageAt(c, i, now),
  };
}

/** Whether two instances' columns hold the same keys in the same order, every field alike (a new field included). */
export function sameColumns(a: KeyColumns, b: KeyColumns): boolean {
  for (const field of Object.keys(a) as (keyof KeyColumns)[]) {
    const x = a[field];
    const y = b[field];
    if (typeof x === 'string' || typeof y === 'string') {
      if (x !== y) return false;
      continue;
    }
    if (x.length !== y.length) return false;
    // Object.is: a creation date that is unknown (NaN) in both is the same.
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
  }
  return true;
}

const NEEDS_ESCAPE = /[\\\n]/;

function joinColumn(values: readonly string[]): string {
  // Most columns hold no `\` and no line feed: one test, then a plain join.
  if (!values.some((v) => NEEDS_ESCAPE.test(v))) return values.join('\n');
  return values.map((v) => v.replace(/[\\\n]/g, (c) => (c === '\n' ? '\\n' : '\\\\'))).join('\n');
}

function splitColumn(text: string, count: number): string[] | undefined {
  if (count === 0) return text === '' ? [] : undefined;
  const values = text.split('\n');
  if (values.length !== count) return undefined;
  if (text.includes('\\')) for (let i = 0; i < count; i++) if (values[i]!.includes('\\')) values[i] = values[i]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
  return values;
}

export function packColumns(c: KeyColumns): StoredKeyColumns {
  let expired = '';
  for (const flag of c.expired) expired += flag ? '1' : '0';
  let ownerState = '';
  for (const code of c.ownerState) ownerState += OWNER_STATE_CHARS[code];
  return {
    count: c.owner.length,
    owner: joinColumn(c.owner),
    keyId: joinColumn(c.keyId),
    description: joinColumn(c.description),
    expires: joinColumn(c.expires),
    expired,
    created: joinColumn(c.created),
    ownerState,
    lastLogin: joinColumn(c.lastLogin),
  };
}

/** The columns back from storage; undefined when they do not fit together (a damaged item). */
export function unpackColumns(instance: string, vendor: VendorId, stored: StoredKeyColumns): KeyColumns | undefined {
  const { count } = stored;
  const owner = splitColumn(stored.owner, count);
  const keyId = splitColumn(stored.keyId, count);
  const description = splitColumn(stored.description, count);
  const expires = splitColumn(stored.expires, count);
  if (!owner || !keyId || !description || !expires || stored.expired.length !== count || /[^01]/.test(stored.expired)) return undefined;
  // An item from before owners and ages were kept has none of them: unknown, not damaged.
  const none = () => new Array<string>(count).fill('');
  const created = stored.created === undefined ? none() : splitColumn(stored.created, count);
  const lastLogin = stored.lastLogin === undefined ? none() : splitColumn(stored.lastLogin, count);
  const states = stored.ownerState ?? OWNER_STATE_CHARS[0]!.repeat(count);
  if (!created || !lastLogin || states.length !== count || /[^-aio]/.test(states)) return undefined;
  const expiresAt = new Float64Array(count);
  const expired = new Uint8Array(count);
  const createdAt = new Float64Array(count);
  const ownerState = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    expiresAt[i] = expiryInstant(expires[i]!);
    expired[i] = stored.expired.charCodeAt(i) === 49 ? 1 : 0;
    createdAt[i] = created[i] ? msFromIso(created[i]!) : NaN;
    ownerState[i] = OWNER_STATE_CHARS.indexOf(states[i]!);
  }
  return { instance, vendor, owner, keyId, description, expires, expiresAt, expired, created, createdAt, ownerState, lastLogin };
}
