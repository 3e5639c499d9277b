import { z } from 'zod';
import type { ConsoleBridge } from '../console-bridge';
import { formatPath } from '../../lib/config';
import { extensionRequestSchemas } from '../../lib/messages';
import { onMessage } from '../messaging';
import type { PageHandlers, PageType } from './handlers';
import { classifySender, type SenderInfo } from './senders';

const CONSOLE_TYPES = ['console:info', 'console:export', 'console:options'] as const;
type ConsoleType = (typeof CONSOLE_TYPES)[number];

/** Every message the background answers; `console:progress` goes the other way. */
export const HANDLED_TYPES = [...(Object.keys(extensionRequestSchemas) as PageType[]), ...CONSOLE_TYPES];

export interface RouterDeps {
  handlers: PageHandlers;
  bridge: Pick<ConsoleBridge, 'handle'>;
  self: { id: string; pagesUrl: string };
  /** The user is there (idle auto-lock): a popup or options page message, or a click on the console button. */
  onActivity?: () => Promise<unknown>;
}

export type Route = (type: string, data: unknown, sender: SenderInfo) => Promise<unknown>;

/**
 * Who may say what, decided before anything runs: this extension's pages may send every page
 * message, a console content script (top frame of a tab) only `console:info` / `console:export` /
 * `console:options`, everyone else nothing. A refusal throws, so the sender's `sendMessage` rejects with the reason.
 */
export function createRouter({ handlers, bridge, self, onActivity }: RouterDeps): Route {
  return async (type, data, sender) => {
    const who = classifySender(sender, self);
    if (who.kind === 'refused') throw new Error(`KeyAtlas refused "${type}": ${who.reason}.`);
    // Noted while the message is handled, not before: a keystroke's search does not wait for the
    // write. The reply still waits for it, so no activity goes unrecorded.
    const noted = isUserAction(type, who) ? onActivity?.() : undefined;
    try {
      return await handle(type, data, sender, who);
    } finally {
      await noted;
    }
  };

  async function handle(type: string, data: unknown, sender: SenderInfo, who: Exclude<ReturnType<typeof classifySender>, { kind: 'refused' }>): Promise<unknown> {
    if (who.kind === 'content') {
      if (!isConsoleType(type)) throw new Error(`KeyAtlas refused "${type}": a console page may only ask for ${CONSOLE_TYPES.join(', ')}.`);
      checkPayload(type, z.undefined(), data);
      // The bridge checks the sender again and maps the tab origin to an instance.
      if (type === 'console:info') return bridge.handle('console:info', sender, self.id);
      if (type === 'console:export') return bridge.handle('console:export', sender, self.id);
      return bridge.handle('console:options', sender, self.id);
    }
    if (!isPageType(type)) throw new Error(`KeyAtlas refused "${type}": extension pages do not send it.`);
    const valid = checkPayload(type, extensionRequestSchemas[type], data);
    return (handlers[type] as (data: unknown) => Promise<unknown>)(valid);
  }
}

/**
 * Only what a person did keeps the idle lock open. The console button's script sends `console:info`
 * on every page load, so a console tab that reloads itself would otherwise hold the lock open
 * forever; `console:export` and `console:options` are sent only for a trusted click or key.
 */
function isUserAction(type: string, who: { kind: 'page' | 'content' }): boolean {
  return who.kind === 'page' || type !== 'console:info';
}

/** Registers the router for every handled type (one listener per type, as @webext-core/messaging wants). */
export function listen(route: Route): void {
  // `route` checks and types each reply itself; the cast only spares a per-type listener list.
  for (const type of HANDLED_TYPES) onMessage(type, ({ data, sender }) => route(type, data, sender) as never);
}

function isPageType(type: string): type is PageType {
  return Object.hasOwn(extensionRequestSchemas, type);
}

function isConsoleType(type: string): type is ConsoleType {
  return (CONSOLE_TYPES as readonly string[]).includes(type);
}

function checkPayload(type: string, schema: z.ZodType, data: unknown): unknown {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  // Paths and messages only: zod does not quote the values, and a payload may hold a passphrase.
  const detail = parsed.error.issues.map((issue) => `${formatPath(issue.path) || 'data'}: ${issue.message}`).join('; ');
  throw new Error(`KeyAtlas refused "${type}": invalid request (${detail}).`);
}
