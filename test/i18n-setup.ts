import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fakeBrowser } from 'wxt/testing/fake-browser';

/**
 * WXT's fake browser has no i18n: give it chrome.i18n's own rules over the real English locale file,
 * so unit tests render the same text the extension shows.
 */
type Messages = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;
const english = JSON.parse(readFileSync(path.join(import.meta.dirname, '../public/_locales/en/messages.json'), 'utf8')) as Messages;

export function getMessage(messages: Messages, key: string, substitutions: string | string[] = []): string {
  const entry = messages[key];
  if (!entry) return '';
  const subs = Array.isArray(substitutions) ? substitutions : [substitutions];
  const positional = (text: string) => text.replace(/\$(\d)/g, (_, n: string) => subs[Number(n) - 1] ?? '');
  return entry.message
    .replace(/\$([a-zA-Z0-9_@]+)\$/g, (_, name: string) => positional(entry.placeholders?.[name.toLowerCase()]?.content ?? ''))
    .replace(/\$\$/g, '$');
}

Object.assign(fakeBrowser, {
  i18n: {
    ...(fakeBrowser as { i18n?: object }).i18n,
    getMessage: (key: string, substitutions?: string | string[]) => getMessage(english, key, substitutions),
    getUILanguage: () => 'en',
  },
});
