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
