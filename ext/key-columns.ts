import type { KeyMeta } from '../lib/messages';
import { daysLeftAt, statusAt } from '../lib/record';
import { msFromIso } from '../lib/utc-date';
import type { VendorId } from '../lib/vendors';

/**
 * One instance's cached keys as columns: no object per key, so 100,000 keys cost a few arrays of
 * strings in the background's memory, and a popup query is a loop over numbers (SPEC §7).
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
}

/**
 * The columns as storage.local keeps them: each text column one string, values joined by line
 * feeds (a `\` or line feed inside a value escaped), the flags one '0'/'1' character per key. A
 * few long strings cross into storage and back at memory speed; 100,000 keys as arrays of
 * values cost seconds of conversion in every write (SPEC §7: the extension at scale).
 */
export interface StoredKeyColumns {
  count: number;
  owner: string;
  keyId: string;
  description: string;
  expires: string;
  expired: string;
}

export function columnsOf(instance: string, vendor: VendorId, keys: readonly Pick<KeyMeta, 'owner' | 'key_id' | 'description' | 'expires' | 'status'>[]): KeyColumns {
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
  };
}

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
  };
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
  return {
    count: c.owner.length,
    owner: joinColumn(c.owner),
    keyId: joinColumn(c.keyId),
    description: joinColumn(c.description),
    expires: joinColumn(c.expires),
    expired,
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
  const expiresAt = new Float64Array(count);
  const expired = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    expiresAt[i] = expiryInstant(expires[i]!);
    expired[i] = stored.expired.charCodeAt(i) === 49 ? 1 : 0;
  }
  return { instance, vendor, owner, keyId, description, expires, expiresAt, expired };
}
