import { vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { ExtensionProtocol } from '../../lib/messages';
import type { BackgroundOptions } from './app';

/**
 * The browser APIs @webext-core/fake-browser leaves unimplemented, as small in-memory fakes the
 * tests can inspect: downloads (with onChanged), permissions, scripting, getPlatformInfo.
 * Call after `fakeBrowser.reset()`; `vi.restoreAllMocks()` undoes it.
 */
export function stubBrowserApis({ granted = () => true }: { granted?: (pattern: string) => boolean } = {}) {
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

  vi.spyOn(fakeBrowser.permissions, 'contains').mockImplementation(async ({ origins = [] }) => origins.every(granted));
  vi.spyOn(fakeBrowser.permissions.onAdded, 'addListener').mockImplementation(() => undefined);
  vi.spyOn(fakeBrowser.permissions.onRemoved, 'addListener').mockImplementation(() => undefined);

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

  vi.spyOn(fakeBrowser.runtime, 'getPlatformInfo').mockImplementation(async () => ({ os: 'linux', arch: 'x86-64' }) as never);

  return {
    downloads,
    registered,
    /** Fires downloads.onChanged as the browser does when a download ends. */
    finishDownload(id: number, state: 'complete' | 'interrupted' = 'complete') {
      for (const listener of [...downloadListeners]) listener({ id, state: { current: state } });
    },
  };
}

/** Message senders as the browser describes them. */
export const senders = {
  popup: () => ({ id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/popup.html') }),
  options: () => ({ id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/options.html'), tab: { id: 2, url: fakeBrowser.runtime.getURL('/options.html') }, frameId: 0 }),
  content: (url: string, frameId = 0) => ({ id: fakeBrowser.runtime.id, url, origin: new URL(url).origin, tab: { id: 7, url }, frameId }),
};

/** Decodes what downloads.download received: a data URL (Chrome) or a blob URL (Firefox). */
export async function downloadedText(url: string): Promise<string> {
  if (url.startsWith('data:')) {
    const [meta, payload] = url.split(',', 2) as [string, string];
    if (!meta.endsWith(';base64')) throw new Error(`not a base64 data URL: ${meta}`);
    return new TextDecoder('utf-8', { ignoreBOM: true }).decode(Buffer.from(payload, 'base64'));
  }
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
  const { createBackgroundApp } = await import('./app');
  const app = createBackgroundApp({ iterations: TEST_ITERATIONS, ...options });
  /** A message from the popup, through the same router the real listeners use. */
  const ask = <K extends keyof ExtensionProtocol>(type: K, ...data: Parameters<ExtensionProtocol[K]>) =>
    app.route(type, data[0], senders.popup()) as Promise<ReturnType<ExtensionProtocol[K]>>;
  return { app, ask };
}
