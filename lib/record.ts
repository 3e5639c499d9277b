import { COVERAGE, type Coverage } from './coverage';
import { ageDaysAt, ageDaysSince, type OwnerState } from './owners';
import { isoFromMs, msFromIso } from './utc-date';
import type { VendorId } from './vendors';

/** One API key, normalized across vendors (docs/contract.md#normalized-record). `key` is the secret itself or '' when the vendor never returns it. */
export interface KeyRecord {
  instance: string;
  vendor: VendorId;
  owner: string;
  directory: string;
  key_id: string;
  key: string;
  description: string;
  roles: string[];
  status: 'active' | 'expired';
  /** ISO 8601 UTC or '' */
  created: string;
  /** ISO 8601 UTC or '' (never expires) */
  expires: string;
  /** whole days until expiry (floor), negative when expired, null when it never expires */
  days_left: number | null;
  /** The owner in the tenant's user list (lib/owners.ts); '' where the vendor gives no user list. */
  owner_state: OwnerState;
  /** ISO 8601 UTC of the owner's last login, or '' (never, or unknown). */
  owner_last_login: string;
  /** The owner's email and role as the tenant's user list gives them, or ''. */
  owner_email: string;
  owner_role: string;
  /** whole days since `created`, null when unknown */
  age_days: number | null;
  /** What the instance's credential can see (lib/coverage.ts). */
  coverage: Coverage;
}

/**
 * What an adapter reads; the rest is derived (finishRecord) or joined in later (lib/owners.ts). A
 * date is an instant (ms since the epoch, as the vendor date readers give it), ISO text, or '' for none.
 */
export type RecordFields = Omit<KeyRecord, 'status' | 'days_left' | 'owner_state' | 'owner_last_login' | 'owner_email' | 'owner_role' | 'age_days' | 'coverage' | 'created' | 'expires'> & {
  created: number | string;
  expires: number | string;
  vendorSaysExpired?: boolean;
};

const DAY_MS = 86_400_000;

/**
 * Adds the derived fields. Expiry counts from `now`, so every record of one export shares one clock.
 * `owner`, when given, names the instance and vendor whatever the fields say (the engine's word, not
 * the adapter's), without a copy of the fields for each key.
 */
export function finishRecord(fields: RecordFields, now: Date, owner?: Pick<KeyRecord, 'instance' | 'vendor'>): KeyRecord {
  const { created, expires } = fields;
  const expiresAt = typeof expires === 'number' ? expires : expires ? msFromIso(expires) : undefined;
  const msLeft = expiresAt === undefined ? undefined : expiresAt - now.getTime();
  // One literal, one property order: records built by rest and spread took four times the memory
  // (51 MB of objects for 100,000 keys instead of 12 MB) and came in a shape per vendor, which
  // slowed every loop over them (docs/benchmarks.md#budgets).
  return {
    instance: owner ? owner.instance : fields.instance,
    vendor: owner ? owner.vendor : fields.vendor,
    owner: fields.owner,
    directory: fields.directory,
    key_id: fields.key_id,
    key: fields.key,
    description: fields.description,
    roles: fields.roles,
    status: statusAt(msLeft, fields.vendorSaysExpired),
    created: typeof created === 'number' ? isoFromMs(created) : created,
    expires: typeof expires === 'number' ? isoFromMs(expires) : expires,
    days_left: daysLeftAt(msLeft),
    owner_state: '',
    owner_last_login: '',
    owner_email: '',
    owner_role: '',
    age_days: typeof created === 'number' ? ageDaysSince(created, now.getTime()) : ageDaysAt(created, now.getTime()),
    coverage: COVERAGE[fields.vendor],
  };
}

/** A key's status with `msLeft` until its expiry (undefined: it never expires); the vendor's word wins. */
export function statusAt(msLeft: number | undefined, vendorSaysExpired: boolean | undefined): KeyRecord['status'] {
  return vendorSaysExpired || (msLeft !== undefined && msLeft <= 0) ? 'expired' : 'active';
}

/** Whole days left (floor), from `msLeft` until its expiry; null when it never expires. */
export function daysLeftAt(msLeft: number | undefined): number | null {
  return msLeft === undefined ? null : Math.floor(msLeft / DAY_MS);
}

export interface Buckets {
  total: number;
  expired: number;
  within7: number;
  within30: number;
  never: number;
}

/** docs/contract.md#buckets: ≤30 includes ≤7; neither includes expired keys. */
export function bucketize(records: Iterable<Pick<KeyRecord, 'status' | 'days_left'>>): Buckets {
  const b: Buckets = { total: 0, expired: 0, within7: 0, within30: 0, never: 0 };
  for (const r of records) countInto(b, r);
  return b;
}

/** Adds one key to `b` (bucketize, one key at a time). */
export function countInto(b: Buckets, r: Pick<KeyRecord, 'status' | 'days_left'>): void {
  b.total++;
  if (r.status === 'expired') b.expired++;
  else if (r.days_left === null) b.never++;
  else {
    if (r.days_left <= 7) b.within7++;
    if (r.days_left <= 30) b.within30++;
  }
}

/**
 * The records in docs/contract.md#sorting order (expires ascending, never-expiring last; ties by instance, owner,
 * key_id in code-point order), as a new array. Each record's sort key is made once rather than at
 * every comparison, and kept in one array per column with positions sorted over them: no tuple or
 * wrapper object per record for the collector to chase (docs/benchmarks.md#budgets: toCsv ≤ 1.2 × papaparse alone).
 */
export function sortRecords(records: readonly KeyRecord[]): KeyRecord[] {
  const n = records.length;
  const expires = new Float64Array(n);
  const instance = new Array<string>(n);
  const owner = new Array<string>(n);
  const keyId = new Array<string>(n);
  const order = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const r = records[i]!;
    expires[i] = expiryInstant(r.expires);
    instance[i] = codePointKey(r.instance);
    owner[i] = codePointKey(r.owner);
    keyId[i] = codePointKey(r.key_id);
    order[i] = i;
  }
  order.sort((a, b) => {
    const ea = expires[a]!;
    const eb = expires[b]!;
    if (ea !== eb) return ea < eb ? -1 : 1;
    return compareUnits(instance[a]!, instance[b]!) || compareUnits(owner[a]!, owner[b]!) || compareUnits(keyId[a]!, keyId[b]!);
  });
  return order.map((i) => records[i]!);
}

/**
 * docs/contract.md#dates: instants, never strings: past year 9999 ISO text gains a sign (`+275760-…`), which
 * sorts before `2027-…` as text. Never-expiring keys go last.
 */
function expiryInstant(expires: string): number {
  const ms = expires ? msFromIso(expires) : NaN;
  return Number.isNaN(ms) ? Infinity : ms;
}

/** Two texts by their UTF-16 units: the order of `<`, as a comparator. */
export const compareUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

// UTF-16 order differs from code-point order only where a surrogate meets a unit at or above
// U+E000. Lifting surrogates above that block (and lowering the block into their place) gives a
// text whose plain UTF-16 order is the code-point order of the original; most text has neither.
const HIGH_UNIT = /[\uD800-\uFFFF]/;
const HIGH_UNITS = /[\uD800-\uFFFF]/g;

function codePointKey(text: string): string {
  return HIGH_UNIT.test(text) ? text.replace(HIGH_UNITS, (unit) => String.fromCharCode(codePointRank(unit.charCodeAt(0)))) : text;
}

function codePointRank(unit: number): number {
  if (unit >= 0xe000) return unit - 0x800;
  if (unit >= 0xd800) return unit + 0x2000;
  return unit;
}
