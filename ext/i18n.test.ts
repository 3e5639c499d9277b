import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { getMessage } from '../test/i18n-messages';
import { formatList, t, tCount } from './i18n';

describe('t', () => {
  it('reads the English locale file in unit tests', () => {
    expect(t('extName')).toBe('KeyAtlas');
  });
});

describe('counts and lists in the UI language', () => {
  afterEach(() => vi.restoreAllMocks());

  function inGerman() {
    const german = JSON.parse(readFileSync(join(import.meta.dirname, '../public/_locales/de/messages.json'), 'utf8'));
    vi.spyOn(fakeBrowser.i18n, 'getMessage').mockImplementation(((key: string, subs?: string | string[]) => getMessage(german, key, subs)) as never);
    vi.spyOn(fakeBrowser.i18n, 'getUILanguage').mockReturnValue('de');
  }

  it('English: one and other forms, grouped digits, "and" lists', () => {
    expect(tCount('options_testOk', 1)).toBe('OK: 1 key read');
    expect(tCount('options_testOk', 12345)).toBe('OK: 12,345 keys read');
    expect(tCount('notify_within', 1, tCount('notify_days', 1), 'x')).toBe('1 expires within 1 day: x');
    expect(formatList(['https://a/*', 'https://b/*'])).toBe('https://a/* and https://b/*');
  });

  it('German: its own forms, digit grouping and conjunction', () => {
    inGerman();
    expect(tCount('notify_title_keys', 1)).toBe('KeyAtlas: 1 Schlüssel braucht Aufmerksamkeit');
    expect(tCount('notify_within', 3, tCount('notify_days', 7), 'x')).toBe('3 laufen in höchstens 7 Tagen ab: x');
    expect(tCount('options_imported', 1234, 'a.json')).toBe('1.234 Instanzen aus a.json importiert; die Schlüssel werden jetzt gelesen.');
    expect(formatList(['https://a/*', 'https://b/*'])).toBe('https://a/* und https://b/*');
  });
});
