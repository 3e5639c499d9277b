import { describe, expect, it } from 'vitest';
import { credentialLabel, errorText, grouped, localTime, plural, relativeTime } from './format';
import { utcDate } from '../../lib/utc-date';

const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString();

describe('relativeTime', () => {
  it.each([
    [10_000, 'just now'],
    [60_000, '1 min ago'],
    [59 * 60_000, '59 min ago'],
    [3 * 3_600_000 + 5, '3 h ago'],
    [49 * 3_600_000, '2 d ago'],
  ])('%i ms ago is "%s"', (ms, text) => {
    expect(relativeTime(ago(ms), NOW)).toBe(text);
  });

  it('says so for a time it cannot read', () => {
    expect(relativeTime('yesterday-ish', NOW)).toBe('unknown');
    expect(localTime('yesterday-ish')).toBe('yesterday-ish');
  });
});

describe('small formatters', () => {
  it('names the credential used, nothing when unknown', () => {
    expect(credentialLabel('apiKey')).toBe('saved credentials');
    expect(credentialLabel('session')).toBe('console session');
    expect(credentialLabel(undefined)).toBeUndefined();
  });

  it('writes local times as YYYY-MM-DD HH:MM', () => {
    const d = new Date(2026, 2, 1, 9, 5);
    expect(localTime(d.toISOString())).toBe('2026-03-01 09:05');
  });

  it('groups digits by thousands', () => {
    expect([0, 999, 1000, 9800, 1234567].map(grouped)).toEqual(['0', '999', '1,000', '9,800', '1,234,567']);
  });

  it('pluralizes with grouped digits', () => {
    expect(plural(1, 'key')).toBe('1 key');
    expect(plural(10_000, 'key')).toBe('10,000 keys');
  });

  it('reads errors and dates', () => {
    expect(errorText(new Error('HTTP 401'))).toBe('HTTP 401');
    expect(errorText('plain')).toBe('plain');
    expect(utcDate(new Date('2026-03-01T23:59:59.000-05:00'))).toBe('2026-03-02');
  });
});
