import { afterAll, afterEach, beforeAll, beforeEach, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { consoleFor } from '../../lib/consoles';
import type { ExtensionProtocol } from '../../lib/messages';
import { startCoreMock } from '../mock-vendors/metadefender-core';
import { startVaultMock } from '../mock-vendors/metadefender-vault';
import type { MockServer } from '../mock-vendors/server';
import type { BackgroundOptions } from '../../ext/background/app';
import pkg from '../../package.json' with { type: 'json' };

export const PACKAGE_VERSION = pkg.version;

/** What a console page's request looks like to webRequest, before and after the server answered. */
export interface ConsoleRequest {
  url: string;
  headers: Record<string, string>;
  status: number;
  method?: string;
  /** Default: a console tab. -1: outside any tab (the extension's own calls). */
  tabId?: number;
  /** Default: the request's own origin (a console calling its own API). */
  initiator?: string;
  /** The tab's page. Default: the key page of the console whose API the URL's path belongs to. */
  pageUrl?: string;
  /** The reply's content type (default JSON). */
  contentType?: string;
}

/** A console key page on this request's origin, picked by the API path it calls (lib/consoles example URLs). */
function consolePageFor(url: string): string {
  const { origin, pathname } = new URL(url);
  const vendor = pathname.startsWith('/vault_rest/') ? 'metadefender-vault' : pathname.startsWith('/api/') ? 'metadefender-storage' : 'metadefender-core';
  const example = new URL(consoleFor(vendor)!.exampleUrls.yes[0]!);
  return `${origin}${example.pathname}${example.hash}`;
}

/**
 * The browser APIs @webext-core/fake-browser leaves unimplemented, as small in-memory fakes the
 * tests can inspect: downloads (with onChanged), permissions (`grantedPatterns` is what getAll
 * lists), scripting, webRequest (fire console requests through `consoleRequest`), getPlatformInfo,
 * getManifest (the package's version, as WXT writes it).
 * Call after `fakeBrowser.reset()`; `vi.restoreAllMocks()` undoes it.
 */
export function stubBrowserApis({ granted = () => true, grantedPatterns = [] }: { granted?: (pattern: string) => boolean; grantedPatterns?: string[] } = {}) {
  const downloads: { id: number; url: string; filename: string; saveAs?: boolean }[] = [];
  const downloadListeners = new Set<(delta: { id: number; state?: { current?: string } }) => void>();
  const registered = new Map<string, { id: string; matches?: string[]; js?: string[] }>();

  vi.spyOn(fakeBrowser.downloads, 'download').mockImplementation(async (options) => {
    const id = downloads.length + 1;
    downloads.push({ id, url: options.url, filename: options.filename ?? '', saveAs: options.saveAs });
    return id;
  });
  vi.spyOn(fakeBrowser.downloads.onChanged, 'addListener').mockImplementation((l) => void downloadListeners.add(l as never));
  vi.spyOn(fakeBrowser.downloads.onChanged, 'removeListener').mockImplementation((l) => void downloadListeners.delete(l as never));
  const downloadStates = new Map<number, string>();
  vi.spyOn(fakeBrowser.downloads, 'search').mockImplementation((async ({ id }: { id?: number }) =>
    downloads.filter((d) => id === undefined || d.id === id).map((d) => ({ id: d.id, url: d.url, state: downloadStates.get(d.id) ?? 'in_progress' }))) as never);
  /** Ids of downloads erased from the history (the files stay). */
  const erased: number[] = [];
  vi.spyOn(fakeBrowser.downloads, 'erase').mockImplementation((async ({ id }: { id?: number }) => {
    if (id !== undefined) erased.push(id);
    return id === undefined ? [] : [id];
  }) as never);
  const offscreenDocuments = fakeOffscreen();

  let revoked = false;
  const removedListeners: ((removed: { origins: string[]; permissions: string[] }) => void)[] = [];
  vi.spyOn(fakeBrowser.permissions, 'contains').mockImplementation(async ({ origins = [] }) => !revoked && origins.every(granted));
  vi.spyOn(fakeBrowser.permissions, 'getAll').mockImplementation(async () => ({ origins: revoked ? [] : [...grantedPatterns], permissions: [] }));
  vi.spyOn(fakeBrowser.permissions.onAdded, 'addListener').mockImplementation(() => undefined);
  vi.spyOn(fakeBrowser.permissions.onRemoved, 'addListener').mockImplementation((listener) => void removedListeners.push(listener as never));

  vi.spyOn(fakeBrowser.scripting, 'getRegisteredContentScripts').mockImplementation(async (filter) =>
    [...registered.values()].filter((s) => !filter?.ids || filter.ids.includes(s.id)) as never,
  );
  const upsert = async (scripts: { id: string; matches?: string[]; js?: string[] }[]) => {
    for (const s of scripts) registered.set(s.id, s);
  };
  vi.spyOn(fakeBrowser.scripting, 'registerContentScripts').mockImplementation(upsert as never);
  vi.spyOn(fakeBrowser.scripting, 'updateContentScripts').mockImplementation(upsert as never);
  vi.spyOn(fakeBrowser.scripting, 'unregisterContentScripts').mockImplementation((async (filter?: { ids?: string[] }) => {
    for (const id of filter?.ids ?? [...registered.keys()]) registered.delete(id);
  }) as never);

  type Listener = (details: never) => void;
  const webRequest = { sent: [] as Listener[], completed: [] as Listener[], failed: [] as Listener[], extraInfo: [] as unknown[] };
  vi.spyOn(fakeBrowser.webRequest.onSendHeaders, 'addListener').mockImplementation((listener, _filter, extraInfo) => {
    webRequest.sent.push(listener as Listener);
    webRequest.extraInfo.push(extraInfo);
  });
  vi.spyOn(fakeBrowser.webRequest.onCompleted, 'addListener').mockImplementation((listener) => void webRequest.completed.push(listener as Listener));
  vi.spyOn(fakeBrowser.webRequest.onErrorOccurred, 'addListener').mockImplementation((listener) => void webRequest.failed.push(listener as Listener));
  let requestIds = 0;
  const tabUrls = new Map<number, string>();
  vi.spyOn(fakeBrowser.tabs, 'get').mockImplementation((async (tabId: number) => {
    const url = tabUrls.get(tabId);
    if (url === undefined) throw new Error(`No tab with id: ${tabId}`);
    return { id: tabId, url };
  }) as never);

  vi.spyOn(fakeBrowser.runtime, 'getManifest').mockImplementation(() => ({ manifest_version: 3, name: 'KeyAtlas', version: PACKAGE_VERSION }));
  vi.spyOn(fakeBrowser.runtime, 'getPlatformInfo').mockImplementation(async () => ({ os: 'linux', arch: 'x86-64' }) as never);

  return {
    downloads,
    erased,
    offscreenDocuments,
    registered,
    webRequest,
    /** A console page's API call as webRequest reports it: headers sent, then the status received. */
    async consoleRequest({ url, headers, status, method = 'GET', tabId = 7, initiator = new URL(url).origin, pageUrl = consolePageFor(url), contentType = 'application/json; charset=utf-8' }: ConsoleRequest) {
      const requestId = String(++requestIds);
      tabUrls.set(tabId, pageUrl);
      const responseHeaders = [{ name: 'Content-Type', value: contentType }];
      const requestHeaders = Object.entries(headers).map(([name, value]) => ({ name, value }));
      for (const listener of webRequest.sent) listener({ requestId, url, method, tabId, initiator, requestHeaders, type: 'xmlhttprequest' } as never);
      // The background's listener returns its promise (browsers ignore it), so this waits for what it keeps.
      await Promise.all(webRequest.completed.map((listener) => (listener as (d: unknown) => unknown)({ requestId, url, method, tabId, initiator, statusCode: status, responseHeaders })));
    },
    /** The user takes back every host grant: from now on none is granted, and permissions.onRemoved fires, as in the browser. */
    revokeHostGrants(origins: string[]) {
      revoked = true;
      for (const listener of removedListeners) listener({ origins, permissions: [] });
    },
    /** Fires downloads.onChanged as the browser does when a download ends. */
    finishDownload(id: number, state: 'complete' | 'interrupted' = 'complete') {
      downloadStates.set(id, state);
      for (const listener of [...downloadListeners]) listener({ id, state: { current: state } });
    },
  };
}

// Once per test file: a fresh module world (loadApp) must not add another listener on the same channel.
let offscreenDocument: Promise<unknown> | undefined;

/** Chrome's offscreen API whose document is the real entrypoint, loaded into this process. */
function fakeOffscreen(): string[] {
  const created: string[] = [];
  let open = false;
  Object.assign(fakeBrowser, {
    offscreen: {
      Reason: { BLOBS: 'BLOBS' },
      hasDocument: async () => open,
      createDocument: async ({ url }: { url: string }) => {
        created.push(url);
        await (offscreenDocument ??= import('../../entrypoints/offscreen/main'));
        open = true;
      },
    },
  });
  return created;
}

/** Message senders as the browser describes them. */
export const senders = {
  popup: () => ({ id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/popup.html') }),
  options: () => ({ id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/options.html'), tab: { id: 2, url: fakeBrowser.runtime.getURL('/options.html') }, frameId: 0 }),
  content: (url: string, frameId = 0) => ({ id: fakeBrowser.runtime.id, url, origin: new URL(url).origin, tab: { id: 7, url }, frameId }),
};

/** Decodes what downloads.download received: a blob URL, from the offscreen document (Chrome) or the event page (Firefox). */
export async function downloadedText(url: string): Promise<string> {
  if (!url.startsWith('blob:')) throw new Error(`not a blob URL: ${url.slice(0, 16)}…`);
  const { resolveObjectURL } = await import('node:buffer');
  const blob = resolveObjectURL(url);
  if (!blob) throw new Error('the blob URL was revoked or never created');
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(await blob.arrayBuffer());
}

/** PBKDF2 rounds for tests; the production default is tested in lib/lock.test.ts and instance-store.test.ts. */
export const TEST_ITERATIONS = 1_000;

/**
 * A freshly loaded background (new module world, as after a worker restart) over whatever the
 * fake browser's storage holds now.
 */
export async function loadApp(options: BackgroundOptions = {}) {
  vi.resetModules();
  const { createBackgroundApp } = await import('../../ext/background/app');
  const app = createBackgroundApp({ iterations: TEST_ITERATIONS, ...options });
  /** A message from the popup, through the same router the real listeners use. */
  const ask = <K extends keyof ExtensionProtocol>(type: K, ...data: Parameters<ExtensionProtocol[K]>) =>
    app.route(type, data[0], senders.popup()) as Promise<ReturnType<ExtensionProtocol[K]>>;
  return { app, ask };
}

/**
 * A test file's real Vault and Core mock servers, with a fresh fake browser (APIs stubbed) and
 * fresh request counts before every test.
 */
export function useMockConsoles(now = new Date()) {
  const mocks = {} as { vault: MockServer; core: MockServer; browserApis: ReturnType<typeof stubBrowserApis> };
  beforeAll(async () => {
    [mocks.vault, mocks.core] = await Promise.all([startVaultMock({ now }), startCoreMock()]);
  });
  afterAll(async () => {
    await Promise.all([mocks.vault.close(), mocks.core.close()]);
  });
  beforeEach(() => {
    fakeBrowser.reset();
    mocks.browserApis = stubBrowserApis();
    mocks.vault.resetStats();
    mocks.core.resetStats();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  return mocks;
}
