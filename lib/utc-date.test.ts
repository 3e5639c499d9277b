import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoFromMs, msFromIso, utcMs } from './utc-date';

describe('isoFromMs', () => {
  it('writes every instant exactly as Date.prototype.toISOString does', () => {
    const edges = [-62_167_219_200_001, -62_167_219_200_000, -1, 0, 951_782_400_000, 253_402_300_799_999, 253_402_300_800_000, 8.64e15, -8.64e15, 1.5];
    for (const ms of edges) expect(isoFromMs(ms)).toBe(new Date(ms).toISOString());
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -62_167_219_200_000, max: 253_402_300_799_999 }), fc.integer({ min: -8.64e15, max: 8.64e15 }), fc.double({ min: -1e14, max: 1e14, noNaN: true })), (ms) => {
        expect(isoFromMs(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 3000 },
    );
  });
});

describe('msFromIso', () => {
  it('reads every ISO text exactly as Date.parse does, whatever is wrong with it', () => {
    const iso = fc.integer({ min: -62_167_219_200_000, max: 253_402_300_799_999 }).map((ms) => new Date(ms).toISOString());
    const twisted = fc.tuple(iso, fc.nat({ max: 23 }), fc.constantFrom('0', '9', '3', 'x', '-', ' ')).map(([text, at, c]) => text.slice(0, at) + c + text.slice(at + 1));
    for (const text of ['2026-02-31T00:00:00.000Z', '2026-01-01T24:00:00.000Z', '2026-13-01T00:00:00.000Z', '0099-01-01T00:00:00.000Z', '', 'soon'])
      expect(msFromIso(text)).toBe(Date.parse(text));
    fc.assert(
      fc.property(fc.oneof(iso, twisted, fc.string({ maxLength: 26 })), (text) => {
        expect(msFromIso(text)).toBe(Date.parse(text));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('utcMs', () => {
  it('gives the instant Date.UTC gives, days past a month’s end and leap days included', () => {
    for (const [y, m, d] of [[2024, 2, 29], [2023, 2, 29], [2026, 2, 31], [2000, 2, 29], [1900, 2, 29], [100, 1, 1], [9999, 12, 31], [2026, 3, 1], [2026, 1, 1]] as const)
      expect(utcMs(y, m, d, 0, 0, 0, 0)).toBe(Date.UTC(y, m - 1, d));
    fc.assert(
      fc.property(
        fc.tuple(fc.integer({ min: 100, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), fc.nat({ max: 23 }), fc.nat({ max: 59 }), fc.nat({ max: 59 }), fc.nat({ max: 999 })),
        ([year, month, day, hour, minute, second, millis]) => {
          expect(utcMs(year, month, day, hour, minute, second, millis)).toBe(Date.UTC(year, month - 1, day, hour, minute, second, millis));
        },
      ),
      { numRuns: 5000 },
    );
  });
});
