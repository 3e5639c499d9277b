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

/** A key `<base>_one` that has its `<base>_other`: the two plural forms English and German need. */
export type CountKey = { [K in MessageKey]: K extends `${infer B}_one` ? (`${B}_other` extends MessageKey ? B : never) : never }[MessageKey];

// Built once per language (ICU set-up is not free on a popup's first render), per language so a
// changed UI language is never answered in the previous one's forms.
const intl = new Map<string, { plural: Intl.PluralRules; numbers: Intl.NumberFormat }>();
function intlOf(language: string) {
  let entry = intl.get(language);
  if (!entry) intl.set(language, (entry = { plural: new Intl.PluralRules(language), numbers: new Intl.NumberFormat(language) }));
  return entry;
}

/** A number with the UI language's digit grouping: 10,000 in English, 10.000 in German. */
export function formatNumber(n: number): string {
  return intlOf(uiLanguage()).numbers.format(n);
}

/**
 * `<base>_one` or `<base>_other` as the UI language's plural rules choose for `count`; `$1` is the
 * count (grouped), further substitutions are `$2`…. chrome.i18n has no plurals; languages with more
 * categories than these two fall back to `_other`.
 */
export function tCount(base: CountKey, count: number, ...more: (string | number)[]): string {
  const form = intlOf(uiLanguage()).plural.select(count) === 'one' ? 'one' : 'other';
  return t(`${base}_${form}` as MessageKey, formatNumber(count), ...more);
}

/** "a, b and c" in the UI language. */
export function formatList(items: readonly string[]): string {
  return new Intl.ListFormat(uiLanguage(), { type: 'conjunction' }).format(items);
}
