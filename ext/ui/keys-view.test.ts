import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysText, toneOf } from './keys-view';
import { keyMeta } from '../../test/support/ui-fixtures';

const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const key = (expiresInDays: number | null, extra: Partial<Parameters<typeof keyMeta>[0]> = {}) =>
  keyMeta({ instance: 'vault', vendor: 'metadefender-vault', owner: 'alice', key_id: '1', expiresInDays, ...extra }, NOW);

describe('tone and day text', () => {
  it.each([
    [-3.5, 'expired', 'Expired'],
    [0.25, 'soon', '< 1 day'],
    [1.5, 'soon', '1 day'],
    [7.5, 'soon', '7 days'],
    [8.5, 'later', '8 days'],
    [null, 'never', 'Never'],
  ] as const)('a key expiring in %s days is %s, shown as %s', (days, tone, text) => {
    expect(toneOf(key(days))).toBe(tone);
    expect(daysText(key(days))).toBe(text);
  });

  it('trusts the vendor saying expired over a future date (docs/contract.md#metadefender-vault status)', () => {
    const k = key(40.5, { vendorSaysExpired: true });
    expect(toneOf(k)).toBe('expired');
    expect(daysText(k)).toBe('Expired');
  });

  it('colours amber exactly the "≤7 days" bucket (docs/contract.md#buckets)', () => {
    fc.assert(
      fc.property(fc.option(fc.double({ min: -100, max: 400, noNaN: true })), (days) => {
        const k = key(days);
        expect(toneOf(k) === 'soon').toBe(k.status === 'active' && k.days_left !== null && k.days_left <= 7);
      }),
    );
  });
});
