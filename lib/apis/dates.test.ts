import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoFromMs } from '../utc-date';
import { vendorDateByPattern, vendorDateToInstant } from './dates';

const digits = (length: number, max = 10 ** length - 1) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(length, '0'));

/** Vendor-like dates with every part varied, in range and out of it, and text around them. */
const dateLike = fc
  .tuple(
    digits(4),
    digits(2, 19),
    digits(2, 39),
    fc.constantFrom('', 'T', 't', ' ', 'x', 'TT'),
    digits(2, 29),
    digits(2, 69),
    fc.option(digits(2, 69)),
    fc.option(fc.string({ unit: fc.constantFrom('0', '5', '9', 'a'), maxLength: 9 })),
    fc.constantFrom('', 'Z', 'z', '+02:00', '-05:30', '+0200', '+24:00', '-00:60', '+2', 'UTC', ' '),
    fc.constantFrom('', ' ', '\t'),
    fc.constantFrom('', ' ', 'x'),
  )
  .map(([year, month, day, sep, hour, minute, second, fraction, zone, lead, trail]) => {
    const time = sep === '' ? '' : `${sep}${hour}:${minute}${second === null ? '' : `:${second}${fraction === null ? '' : `.${fraction}`}`}${zone}`;
    return `${lead}${year}-${month}-${day}${time}${trail}`;
  });

describe('vendorDateToInstant', () => {
  it('reads every date exactly as its pattern and Date.parse do, and refuses what they refuse', () => {
    fc.assert(
      fc.property(fc.oneof(dateLike, fc.string({ maxLength: 30 })), (text) => {
        expect(vendorDateToInstant(text)).toBe(vendorDateByPattern(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('reads the forms vendors write, rolling an impossible day over as Date.parse does', () => {
    expect(['2026-03-01T12:00:00.0000000Z', '2026-03-01 14:00:00+0200', '2026-03-01T07:00-05:00', '2026-02-29', '2026-02-31t00:00z'].map((text) => isoFromMs(vendorDateToInstant(text)!))).toEqual([
      '2026-03-01T12:00:00.000Z',
      '2026-03-01T12:00:00.000Z',
      '2026-03-01T12:00:00.000Z',
      '2026-03-01T00:00:00.000Z',
      '2026-03-03T00:00:00.000Z',
    ]);
  });
});
