import { describe, expect, it } from 'vitest';
import { ageDaysAt, INACTIVE_AFTER_DAYS, olderThan, OwnerDirectory, ownerStateOf } from './owners';

const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const DAY = 86_400_000;
const user = (lastLoginDaysAgo: number | null) => ({ email: 'a@x', role: '', lastLogin: lastLoginDaysAgo === null ? '' : new Date(NOW - lastLoginDaysAgo * DAY).toISOString() });

describe('owner state', () => {
  it('is active within 90 days of a login, inactive from then on or without any, orphaned when not listed', () => {
    expect(ownerStateOf(user(0), NOW)).toBe('active');
    expect(ownerStateOf(user(INACTIVE_AFTER_DAYS - 0.001), NOW)).toBe('active');
    expect(ownerStateOf(user(INACTIVE_AFTER_DAYS), NOW)).toBe('inactive');
    expect(ownerStateOf(user(null), NOW)).toBe('inactive');
    expect(ownerStateOf(undefined, NOW)).toBe('orphaned');
  });

  it('finds an owner by any of its names, ignoring case and spaces around', () => {
    const directory = new OwnerDirectory();
    directory.add(['Dana@Tenant.example', 'dana', ''], user(1));
    expect(directory.find(' dana@tenant.EXAMPLE')).toBeDefined();
    expect(directory.find('DANA')).toBeDefined();
    expect(directory.find('')).toBeUndefined();
  });
});

describe('key age', () => {
  it('is whole days since created, 0 for a date ahead of the clock, null when unknown', () => {
    expect(ageDaysAt(new Date(NOW - 1.99 * DAY).toISOString(), NOW)).toBe(1);
    expect(ageDaysAt(new Date(NOW + DAY).toISOString(), NOW)).toBe(0);
    expect(ageDaysAt('', NOW)).toBeNull();
    expect(ageDaysAt('not a date', NOW)).toBeNull();
  });

  it('is older than a policy only when both are known and it is strictly greater', () => {
    expect(olderThan(366, 365)).toBe(true);
    expect(olderThan(365, 365)).toBe(false);
    expect(olderThan(null, 365)).toBe(false);
    expect(olderThan(1000, undefined)).toBe(false);
    expect(olderThan(1, 0)).toBe(true);
  });
});
