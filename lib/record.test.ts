import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketize, finishRecord, sortRecords, type KeyRecord, type RecordFields } from './record';

const base: RecordFields = {
  instance: 'i',
  vendor: 'cortex-xsoar',
  owner: 'o',
  directory: '',
  key_id: '1',
  key: '',
  description: '',
  roles: [],
  created: '',
  expires: '',
};
const now = new Date('2026-03-10T12:00:00.000Z');
const at = (expires: string, vendorSaysExpired?: boolean) => finishRecord({ ...base, expires, vendorSaysExpired }, now);

describe('finishRecord', () => {
  it('counts whole days down (floor) and goes negative once expired', () => {
    expect(at('2026-03-17T12:00:00.000Z').days_left).toBe(7);
    expect(at('2026-03-17T11:59:59.999Z').days_left).toBe(6);
    expect(at('2026-03-10T12:00:00.001Z')).toMatchObject({ days_left: 0, status: 'active' });
    expect(at('2026-03-10T12:00:00.000Z')).toMatchObject({ days_left: 0, status: 'expired' });
    expect(at('2026-03-10T11:00:00.000Z')).toMatchObject({ days_left: -1, status: 'expired' });
    expect(at('2026-03-01T12:00:00.000Z').days_left).toBe(-9);
  });

  it('treats an empty expiry as never, and believes a vendor that says expired', () => {
    expect(at('')).toMatchObject({ days_left: null, status: 'active' });
    expect(at('', true)).toMatchObject({ days_left: null, status: 'expired' });
    expect(at('2027-01-01T00:00:00.000Z', true).status).toBe('expired');
  });

  it('is the same whatever the local time zone, since both ends are UTC instants', () => {
    // A DST change in the local zone must not move the count: the maths is on epoch milliseconds.
    expect(finishRecord({ ...base, expires: '2026-03-30T00:00:00.000Z' }, new Date('2026-03-28T00:00:00.000Z')).days_left).toBe(2);
  });
});

describe('finishRecord with instants', () => {
  it('writes a date given as an instant exactly as the same date given as ISO text, days left and age included', () => {
    const instant = fc.integer({ min: -62_167_219_200_000, max: 253_402_300_799_999 });
    fc.assert(
      fc.property(instant, instant, fc.boolean(), (created, expires, vendorSaysExpired) => {
        const asText = finishRecord({ ...base, created: new Date(created).toISOString(), expires: new Date(expires).toISOString(), vendorSaysExpired }, now);
        expect(finishRecord({ ...base, created, expires, vendorSaysExpired }, now)).toEqual(asText);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('bucketize', () => {
  it('puts ≤7 inside ≤30, never and expired apart (docs/contract.md#buckets)', () => {
    const records = [
      at('2026-03-01T00:00:00.000Z'), // expired
      at('', true), // expired by vendor, no date
      at('2026-03-11T00:00:00.000Z'), // 0 days
      at('2026-03-17T12:00:00.000Z'), // 7
      at('2026-03-18T12:00:00.000Z'), // 8
      at('2026-04-09T12:00:00.000Z'), // 30
      at('2026-04-10T12:00:00.000Z'), // 31
      at(''), // never
    ];
    expect(bucketize(records)).toEqual({ total: 8, expired: 2, within7: 2, within30: 4, never: 1 });
  });
});

describe('finishRecord shape', () => {
  it('names the instance and vendor the engine gives, whatever the fields say', () => {
    expect(finishRecord({ ...base, instance: 'claimed', vendor: 'metadefender-cloud' }, now, { instance: 'read', vendor: 'cortex-xsoar' })).toMatchObject({ instance: 'read', vendor: 'cortex-xsoar', owner: 'o' });
  });

  it('returns exactly the KeyRecord fields, whatever else the caller passed', () => {
    const record = finishRecord({ ...base, vendorSaysExpired: true, extra: 'x' } as RecordFields, now);
    expect(Object.keys(record)).toEqual(['instance', 'vendor', 'owner', 'directory', 'key_id', 'key', 'description', 'roles', 'status', 'created', 'expires', 'days_left', 'owner_state', 'owner_last_login', 'owner_email', 'owner_role', 'age_days', 'coverage']);
  });

  it('counts the age in whole days from created, and states the vendor coverage', () => {
    expect(finishRecord({ ...base, created: new Date(now.getTime() - 400.9 * 86_400_000).toISOString() }, now)).toMatchObject({ age_days: 400, coverage: 'tenant' });
    expect(finishRecord({ ...base, created: '' }, now).age_days).toBeNull();
    // A creation date ahead of the clock (skew) is a key made today.
    expect(finishRecord({ ...base, created: new Date(now.getTime() + 86_400_000).toISOString() }, now).age_days).toBe(0);
  });
});

describe('sortRecords', () => {
  // Reference order, written the slow and obvious way: compare code point by code point.
  const byCodePoint = (a: string, b: string) => {
    const x = [...a].map((c) => c.codePointAt(0)!);
    const y = [...b].map((c) => c.codePointAt(0)!);
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
    return x.length - y.length;
  };
  const reference = (a: KeyRecord, b: KeyRecord) =>
    (a.expires === b.expires ? 0 : !a.expires ? 1 : !b.expires ? -1 : Date.parse(a.expires) - Date.parse(b.expires)) ||
    byCodePoint(a.instance, b.instance) ||
    byCodePoint(a.owner, b.owner) ||
    byCodePoint(a.key_id, b.key_id);
  const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
  // Few distinct values, so ties on every column are common; lone surrogates and U+E000.. included.
  const text = fc.oneof(fc.constantFrom('', 'a', 'B', 'b', '\uFF21', '\u{1F511}', '\uD800', '\uE000', '\uFFFF', 'a\u{1F511}', 'a\uFF21'), fc.string({ unit: 'binary', maxLength: 4 }));
  const record = fc
    .record({ instance: text, owner: text, key_id: text, expires: fc.constantFrom('', '2026-01-01T00:00:00.000Z', '2026-06-01T00:00:00.000Z', '3000-01-01T00:00:00.000Z', '+275760-09-13T00:00:00.000Z') })
    .map((f) => finishRecord({ ...base, ...f }, now));

  it('orders expiries as instants: year 3000 and the last representable day come after 2027', () => {
    const at = (expires: string, key_id: string) => finishRecord({ ...base, expires, key_id }, now);
    const sorted = sortRecords([at('+275760-09-13T00:00:00.000Z', 'max'), at('', 'never'), at('3000-01-01T00:00:00.000Z', 'y3000'), at('2027-01-01T00:00:00.000Z', 'y2027')]);
    expect(sorted.map((r) => r.key_id)).toEqual(['y2027', 'y3000', 'max', 'never']);
  });

  it('is the contract order in code points (docs/contract.md#sorting), and sorting again changes nothing', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 40 }), (records) => {
        const sorted = sortRecords(records);
        expect(sortRecords(sorted)).toEqual(sorted);
        // A lone surrogate has no code point of its own, so the reference only judges well-formed text.
        if (!records.some((r) => LONE_SURROGATE.test(r.instance + r.owner + r.key_id))) expect(sorted).toEqual([...records].sort(reference));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps records equal on every sort column in their input order', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 40 }), (records) => {
        const tagged = records.map((r, i) => ({ ...r, description: String(i) }));
        const reference2 = (a: KeyRecord, b: KeyRecord) => reference(a, b) || Number(a.description) - Number(b.description);
        if (!tagged.some((r) => LONE_SURROGATE.test(r.instance + r.owner + r.key_id))) expect(sortRecords(tagged)).toEqual([...tagged].sort(reference2));
      }),
      { numRuns: 200 },
    );
  });

  it('orders 5,000 records with thousands of distinct values per column and a never-expiring fifth as the reference does', () => {
    // Large enough that a faster sort (ranks, passes, tie runs) cannot hide behind 40-record cases.
    const pick = (i: number, mod: number) => String((i * 7919) % mod);
    const records = Array.from({ length: 5_000 }, (_, i) =>
      finishRecord(
        {
          ...base,
          instance: `i${pick(i, 3001)}`,
          owner: `o${pick(i, 2999)}`,
          key_id: pick(i, 4999),
          description: String(i),
          expires: i % 5 ? new Date(Date.UTC(2026, 0, 1) + ((i * 104729) % 4000) * 3_600_000).toISOString() : '',
        },
        now,
      ),
    );
    const reference2 = (a: KeyRecord, b: KeyRecord) => reference(a, b) || Number(a.description) - Number(b.description);
    expect(sortRecords(records).map((r) => r.description)).toEqual([...records].sort(reference2).map((r) => r.description));
  });
});
