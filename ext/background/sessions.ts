import { browser } from 'wxt/browser';
import { z } from 'zod';
import type { ResolvedInstance } from '../../lib/config';
import type { InventoryOptions } from '../../lib/inventory';
import { detectConsole } from '../../lib/consoles';
import { instanceForOrigin, matchPatternFor, normalizeOrigin } from '../../lib/origins';
import { captureSession, isJsonSuccess, isRefusal, isSingleHostPattern, type CapturedSession, type ObservedRequest, type SessionVendor } from '../../lib/session-capture';
import { isPatternGranted } from '../permissions';
import { consoleSessionsItem, storedSessionSchema, type PublicInstance, type StoredSession } from '../storage';
import { createMutex } from './mutex';

export interface LiveSession {
  vendor: SessionVendor;
  token: string;
}

export interface ConsoleSessions {
  /** `webRequest.onSendHeaders`: remembers which credential this request carries until it completes. */
  sent(details: ObservedRequest & { requestId: string }): void;
  /** `webRequest.onCompleted`: a credential the console accepted (JSON 2xx) is kept; one it refused (401/403) is dropped. */
  completed(details: { requestId: string; statusCode: number; responseHeaders?: { name: string; value?: string }[] }): Promise<void>;
  /** `webRequest.onErrorOccurred`: the request never got an answer, so it says nothing. */
  forget(details: { requestId: string }): void;
  get(origin: string): Promise<LiveSession | undefined>;
  /** Which origins have a live session, and of which vendor: never the credential. */
  list(): Promise<{ origin: string; vendor: SessionVendor }[]>;
  /** A KeyAtlas call with this credential was refused: drop it unless the console sent a newer one meanwhile. */
  refused(origin: string, token: string): Promise<void>;
}

// A console fires a handful of calls at once; anything older than this many is a request whose
// completion the browser never reported.
const MAX_PENDING = 256;

export interface ConsoleSessionsOptions {
  /** `runtime.getURL('/')`: requests this extension's own pages start are never a console's. */
  extensionUrl: string;
  /** Granted for this host alone (docs/contract.md#session-capture: never through a wildcard or all-sites grant). */
  isGranted(origin: string): Promise<boolean>;
  /** A configured instance of this vendor, or the tab shows a console page of this vendor. */
  isConsole(origin: string, vendor: SessionVendor, tabId: number): Promise<boolean>;
  /** The session of the console in this tab was kept or dropped (its button asks again). */
  onChange?(tabId: number): void;
}

export function createConsoleSessions({ extensionUrl, isGranted, isConsole, onChange }: ConsoleSessionsOptions): ConsoleSessions {
  /** Memory only: request id → the credential it carries and its tab, between send and completion. */
  const pending = new Map<string, CapturedSession & { tabId: number }>();
  const exclusive = createMutex();
  let memory: Map<string, StoredSession> | undefined;

  async function load(): Promise<Map<string, StoredSession>> {
    if (memory) return memory;
    const stored = z.record(z.string(), z.unknown()).safeParse(await consoleSessionsItem.getValue()).data ?? {};
    // A damaged entry is simply dropped: the console's next call captures it again.
    memory = new Map(Object.entries(stored).flatMap(([origin, value]) => (storedSessionSchema.safeParse(value).success ? [[origin, value as StoredSession]] : [])));
    return memory;
  }

  /** Whether `edit` changed anything; only then is storage written. */
  function change(edit: (sessions: Map<string, StoredSession>) => boolean): Promise<boolean> {
    return exclusive(async () => {
      const sessions = await load();
      // Most console calls repeat the credential already kept: nothing to write then.
      const changed = edit(sessions);
      if (changed) await consoleSessionsItem.setValue(Object.fromEntries(sessions));
      return changed;
    });
  }

  function drop(origin: string, token: string): Promise<boolean> {
    return change((sessions) => sessions.get(origin)?.token === token && sessions.delete(origin));
  }

  function keep(seen: CapturedSession): Promise<boolean> {
    return change((sessions) => {
      const kept = sessions.get(seen.origin);
      if (kept?.token === seen.credential && kept.vendor === seen.vendor) return false;
      sessions.set(seen.origin, { vendor: seen.vendor, token: seen.credential, seenAt: new Date().toISOString() });
      return true;
    });
  }

  return {
    sent(details) {
      const captured = captureSession(details, extensionUrl);
      if (!captured) return;
      pending.set(details.requestId, { ...captured, tabId: details.tabId });
      if (pending.size > MAX_PENDING) pending.delete(pending.keys().next().value!);
    },

    async completed({ requestId, statusCode, responseHeaders }) {
      const seen = pending.get(requestId);
      pending.delete(requestId);
      if (!seen) return;
      // Other failures (404, 500 …) say nothing about the credential.
      const changed = isRefusal(statusCode)
        ? await drop(seen.origin, seen.credential)
        : isJsonSuccess(statusCode, responseHeaders) &&
          (await isGranted(seen.origin)) &&
          (await isConsole(seen.origin, seen.vendor, seen.tabId)) &&
          (await keep(seen));
      if (changed) onChange?.(seen.tabId);
    },

    forget({ requestId }) {
      pending.delete(requestId);
    },

    async get(origin) {
      const wanted = normalizeOrigin(origin);
      const kept = wanted === undefined ? undefined : (await exclusive(load)).get(wanted);
      return kept && { vendor: kept.vendor, token: kept.token };
    },

    async list() {
      return [...(await exclusive(load))].map(([origin, { vendor }]) => ({ origin, vendor })).sort((a, b) => (a.origin < b.origin ? -1 : a.origin > b.origin ? 1 : 0));
    },

    async refused(origin, token) {
      const normalized = normalizeOrigin(origin);
      if (normalized !== undefined) await drop(normalized, token);
    },
  };
}

/** Whether the user granted this origin (test hosts count): nothing is kept for any other. */
export function isGrantedOrigin(origin: string): Promise<boolean> {
  const pattern = matchPatternFor(origin);
  return pattern ? isPatternGranted(pattern) : Promise.resolve(false);
}

/** Granted by its own host pattern (the options page's grant, or a test host), not by a wildcard one. */
export async function isGrantedSingly(origin: string): Promise<boolean> {
  const pattern = matchPatternFor(origin);
  if (!pattern || !isSingleHostPattern(pattern)) return false;
  const { origins = [] } = await browser.permissions.getAll().catch(() => ({ origins: [] as string[] }));
  return origins.includes(pattern);
}

/** A configured instance of this vendor on this origin, or a tab showing this vendor's console (lib/consoles). */
export async function isConsoleOf(configured: readonly PublicInstance[], origin: string, vendor: SessionVendor, tabId: number): Promise<boolean> {
  if (instanceForOrigin(origin, configured)?.vendor === vendor) return true;
  const tabUrl = (await browser.tabs.get(tabId).catch(() => undefined))?.url;
  const url = tabUrl && normalizeOrigin(tabUrl) === origin ? new URL(tabUrl) : undefined;
  return !!url && detectConsole(url)?.vendor === vendor;
}

/**
 * Observes console API calls, never blocking or changing them. Added synchronously at start so
 * an MV3 worker woken by the event finds its listener. The broad filter is only a ceiling: the
 * browser reports requests only on hosts the user granted, and `isGranted` checks again before
 * anything is kept. Chrome reports `Authorization` and custom headers such as `apikey` without
 * 'extraHeaders' (it hides only Accept-Language, Accept-Encoding, Referer and Cookie — see
 * docs/extension.md#console-sessions), so none is asked for.
 */
export function observeConsoleSessions(sessions: ConsoleSessions): void {
  const filter = { urls: ['http://*/*', 'https://*/*'], types: ['xmlhttprequest' as const] };
  browser.webRequest.onSendHeaders.addListener((details) => sessions.sent(details), filter, ['requestHeaders']);
  // The promise is returned for tests to await; browsers ignore what a non-blocking listener returns.
  browser.webRequest.onCompleted.addListener((details) => sessions.completed(details).catch(() => undefined), filter, ['responseHeaders']);
  browser.webRequest.onErrorOccurred.addListener((details) => sessions.forget(details), filter);
}

/**
 * Runs an export whose instances may carry a session, then drops every session KeyAtlas's own call
 * had refused (401/403 → InstanceError kind 'auth'), so the next export does not send it again.
 */
export async function dropRefusedSessions<T>(
  sessions: Pick<ConsoleSessions, 'refused'>,
  instances: readonly ResolvedInstance[],
  inventory: InventoryOptions,
  run: (inventory: InventoryOptions) => Promise<T>,
): Promise<T> {
  const bySession = new Map(instances.flatMap((inst) => (inst.sessionToken && inst.url ? [[inst.name, { origin: inst.url, token: inst.sessionToken }] as const] : [])));
  if (!bySession.size) return run(inventory);
  const refused: { origin: string; token: string }[] = [];
  try {
    return await run({
      ...inventory,
      onProgress(event) {
        inventory.onProgress?.(event);
        const used = event.type === 'done' && event.result.error?.kind === 'auth' ? bySession.get(event.result.instance) : undefined;
        if (used) refused.push(used);
      },
    });
  } finally {
    await Promise.all(refused.map(({ origin, token }) => sessions.refused(origin, token)));
  }
}
