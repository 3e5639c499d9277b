import { describe, expect, it } from 'vitest';
import { bucketize, finishRecord, type RecordFields } from './record';

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

describe('bucketize', () => {
  it('puts ≤7 inside ≤30, never and expired apart (SPEC §4)', () => {
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
