import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { getMessage } from '../../test/i18n-messages';
import { credentialLabel, errorText, grouped, localTime, plural, relativeTime } from './format';
import { utcDate } from '../../lib/utc-date';

const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString();

describe('relativeTime', () => {
  it.each([
    [10_000, 'just now'],
    [60_000, '1 minute ago'],
    [59 * 60_000, '59 minutes ago'],
    [3 * 3_600_000 + 5, '3 hours ago'],
    [25 * 3_600_000, 'yesterday'],
    [49 * 3_600_000, '2 days ago'],
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

  it('writes local times in the UI language (English here)', () => {
    const d = new Date(2026, 2, 1, 9, 5);
    expect(localTime(d.toISOString())).toBe('Mar 1, 2026, 9:05 AM');
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

describe('in German', () => {
  const german = JSON.parse(readFileSync(join(import.meta.dirname, '../../public/_locales/de/messages.json'), 'utf8'));
  afterEach(() => vi.restoreAllMocks());

  /** The formatters as a page whose browser runs in German gets them (they are made once per page). */
  async function germanFormat() {
    vi.spyOn(fakeBrowser.i18n, 'getUILanguage').mockReturnValue('de');
    vi.spyOn(fakeBrowser.i18n, 'getMessage').mockImplementation((key: string, subs?: string | string[]) => getMessage(german, key, subs));
    vi.resetModules();
    return { ...(await import('./format')), ...(await import('../i18n')), ...(await import('./keys-view')) };
  }

  it('writes dates, relative times, numbers and plurals the German way', async () => {
    const f = await germanFormat();
    expect(f.localTime(new Date(2026, 2, 1, 9, 5).toISOString())).toBe('01.03.2026, 09:05');
    expect(f.shortDay(new Date(2026, 2, 1, 12).getTime())).toBe('1. März');
    expect(f.relativeTime(ago(10_000), NOW)).toBe('gerade eben');
    expect(f.relativeTime(ago(59 * 60_000), NOW)).toBe('vor 59 Minuten');
    expect(f.relativeTime(ago(25 * 3_600_000), NOW)).toBe('gestern');
    expect(f.grouped(1234567)).toBe('1.234.567');
    expect(f.credentialLabel('session')).toBe('Konsolensitzung');
    expect([1, 2, 10_000].map((n) => f.tCount('popup_rowKeys', n))).toEqual(['1 Schlüssel', '2 Schlüssel', '10.000 Schlüssel']);
    expect([1, 2].map((days_left) => f.daysText({ status: 'active', days_left }))).toEqual(['1 Tag', '2 Tage']);
  });
});
