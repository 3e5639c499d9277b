import { browser } from 'wxt/browser';
import { matchPatternFor } from '../lib/origins';

/**
 * Registers the console content script (entrypoints/content, `registration: 'runtime'`) for exactly
 * the origins the user granted (docs/contract.md#console-button): the background calls this at every start and on
 * permissions.onAdded / onRemoved. No grant, no script: an empty list unregisters it.
 */
export const CONSOLE_SCRIPT_ID = 'keyatlas-console';
/** Where WXT writes a runtime content script entrypoint named `content`. */
export const CONSOLE_SCRIPT_FILE = 'content-scripts/content.js';

type RegisteredScript = Parameters<typeof browser.scripting.registerContentScripts>[0][number];

/** Accepts origins (`https://core.example:8008`) and match patterns (`http://*.keyatlas.test/*`, `<all_urls>`) alike. */
export function contentScriptMatches(origins: readonly string[]): string[] {
  const patterns = origins.map((o) => (o === '<all_urls>' || o.includes('*') ? o : matchPatternFor(o))).filter((p): p is string => !!p);
  return [...new Set(patterns)].sort();
}

let queue: Promise<unknown> = Promise.resolve();

/** Calls run one after another: a start-up sync racing a permissions event would otherwise register the id twice. */
export function syncContentScripts(origins: readonly string[]): Promise<void> {
  const run = queue.then(() => sync(origins));
  queue = run.catch(() => undefined);
  return run;
}

async function sync(origins: readonly string[]): Promise<void> {
  const { scripting } = browser;
  const matches = contentScriptMatches(origins);
  const existing = (await scripting.getRegisteredContentScripts({ ids: [CONSOLE_SCRIPT_ID] })).find((s) => s.id === CONSOLE_SCRIPT_ID);
  if (!matches.length) {
    if (existing) await scripting.unregisterContentScripts({ ids: [CONSOLE_SCRIPT_ID] });
    return;
  }
  if (existing && sameList(existing.matches ?? [], matches) && sameList(existing.js ?? [], [CONSOLE_SCRIPT_FILE])) return;
  const script: RegisteredScript = {
    id: CONSOLE_SCRIPT_ID,
    js: [CONSOLE_SCRIPT_FILE],
    matches,
    runAt: 'document_idle',
    allFrames: false,
    persistAcrossSessions: true,
  };
  await (existing ? scripting.updateContentScripts([script]) : scripting.registerContentScripts([script]));
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  const sortedB = [...b].sort();
  return a.length === b.length && [...a].sort().every((v, i) => v === sortedB[i]);
}
