import type { VendorId } from './vendors';

/** One API key, normalized across vendors (SPEC §2). `key` is the secret itself or '' when the vendor never returns it. */
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
}

export type RecordFields = Omit<KeyRecord, 'status' | 'days_left'> & { vendorSaysExpired?: boolean };

const DAY_MS = 86_400_000;

/** Adds the derived fields. Expiry counts from `now`, so every record of one export shares one clock. */
export function finishRecord({ vendorSaysExpired, ...fields }: RecordFields, now: Date): KeyRecord {
  if (!fields.expires) return { ...fields, status: vendorSaysExpired ? 'expired' : 'active', days_left: null };
  const msLeft = Date.parse(fields.expires) - now.getTime();
  return {
    ...fields,
    status: vendorSaysExpired || msLeft <= 0 ? 'expired' : 'active',
    days_left: Math.floor(msLeft / DAY_MS),
  };
}

export interface Buckets {
  total: number;
  expired: number;
  within7: number;
  within30: number;
  never: number;
}

/** SPEC §4 buckets: ≤30 includes ≤7; neither includes expired keys. */
export function bucketize(records: Iterable<Pick<KeyRecord, 'status' | 'days_left'>>): Buckets {
  const b: Buckets = { total: 0, expired: 0, within7: 0, within30: 0, never: 0 };
  for (const r of records) {
    b.total++;
    if (r.status === 'expired') b.expired++;
    else if (r.days_left === null) b.never++;
    else {
      if (r.days_left <= 7) b.within7++;
      if (r.days_left <= 30) b.within30++;
    }
  }
  return b;
}

/** SPEC §2 order: expires ascending, never-expiring last; ties by instance, owner, key_id in code-point order. */
export function compareRecords(a: KeyRecord, b: KeyRecord): number {
  if (a.expires !== b.expires) {
    if (!a.expires) return 1;
    if (!b.expires) return -1;
    return codePointCompare(a.expires, b.expires);
  }
  return (
    codePointCompare(a.instance, b.instance) ||
    codePointCompare(a.owner, b.owner) ||
    codePointCompare(a.key_id, b.key_id)
  );
}

function codePointCompare(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

// UTF-16 order differs from code-point order only where a surrogate meets a unit above U+E000:
// lifting surrogates above the BMP private/special block restores code-point order.
function codePointRank(unit: number): number {
  if (unit >= 0xe000) return unit - 0x800;
  if (unit >= 0xd800) return unit + 0x2000;
  return unit;
}
