import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** chrome.i18n.getMessage's rules over one locale file, for Node processes that have no browser (unit tests, benchmarks). */
type Messages = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;

// A path, not a URL: under happy-dom the global URL is not Node's, and readFileSync refuses it. A
// bundled benchmark runs from a cache folder, so the repo root (its working directory) is the fallback.
const beside = join(import.meta.dirname, '../public/_locales/en/messages.json');
const localeFile = existsSync(beside) ? beside : join(process.cwd(), 'public/_locales/en/messages.json');
export const english = JSON.parse(readFileSync(localeFile, 'utf8')) as Messages;

export function getMessage(messages: Messages, key: string, substitutions: string | string[] = []): string {
  const entry = messages[key];
  if (!entry) return '';
  const subs = Array.isArray(substitutions) ? substitutions : [substitutions];
  const positional = (text: string) => text.replace(/\$(\d)/g, (_, n: string) => subs[Number(n) - 1] ?? '');
  return entry.message
    .replace(/\$([a-zA-Z0-9_@]+)\$/g, (_, name: string) => positional(entry.placeholders?.[name.toLowerCase()]?.content ?? ''))
    .replace(/\$\$/g, '$');
}

/** The English UI, as `browser.i18n` gives it to an English-speaking user. */
export const englishI18n = {
  getMessage: (key: string, substitutions?: string | string[]) => getMessage(english, key, substitutions),
  getUILanguage: () => 'en',
};
