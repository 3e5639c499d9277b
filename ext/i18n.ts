import { browser } from 'wxt/browser';
import type english from '../public/_locales/en/messages.json';

/** Every UI string has a key in `public/_locales/en/messages.json`; a typo is a type error. */
export type MessageKey = keyof typeof english;

/**
 * The UI text for `key` in the browser's language (`_locales/<lang>`), English as the fallback.
 * Substitutions fill the message's `$1`…`$9` placeholders. CLI and CSV stay English and never call this.
 */
export function t(key: MessageKey, ...substitutions: (string | number)[]): string {
  return browser.i18n.getMessage(key, substitutions.map(String)) || key;
}

/** The UI language, for `Intl` date and number formats that match the strings around them. */
export function uiLanguage(): string {
  return browser.i18n.getUILanguage?.() || 'en';
}

/** Bases `b` with both `b_one` and `b_other` in the locale files. */
export type PluralKey = { [K in MessageKey]: K extends `${infer B}_one` ? (`${B}_other` extends MessageKey ? B : never) : never }[MessageKey];

/**
 * chrome.i18n knows no plurals: `<base>_one` or `<base>_other` by the UI language's own rules. The
 * count becomes `$1`, formatted for that language; `rest` fills `$2`….
 */
export function tCount(base: PluralKey, count: number, ...rest: (string | number)[]): string {
  const form = new Intl.PluralRules(uiLanguage()).select(count) === 'one' ? 'one' : 'other';
  return t(`${base}_${form}`, formatNumber(count), ...rest);
}

export function formatNumber(n: number): string {
  return new Intl.NumberFormat(uiLanguage()).format(n);
}

/** "a, b and c" in the UI language. */
export function formatList(items: readonly string[]): string {
  return new Intl.ListFormat(uiLanguage(), { type: 'conjunction' }).format(items);
}
