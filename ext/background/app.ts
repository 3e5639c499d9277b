import { browser } from 'wxt/browser';
import { createConsoleBridge } from '../console-bridge';
import { syncContentScripts } from '../content-registration';
import type { ResolvedInstance } from '../../lib/config';
import type { KeyMode } from '../../lib/key-mode';
import type { InventoryOptions } from '../../lib/inventory';
import { sendMessage } from '../messaging';
import { ensureRefreshAlarm } from './alarms';
import { createAutoLock } from './auto-lock';
import { showBadge } from './badge';
import { cachedView } from './cache';
import { guardedInventory } from './call-guard';
import { consoleScriptOrigins } from './consoles';
import { downloadFile } from './downloads';
import { exportInstances } from './export';
import { createPageHandlers } from './handlers';
import { createInstanceStore, LockedError } from './instance-store';
import { createNotifier } from './notify';
import { createMutex } from './mutex';
import { createRefresher } from './refresh';
import { createRouter } from './router';
import { t } from '../i18n';
import { createConsoleSessions, dropRefusedSessions, isConsoleOf, isGrantedSingly } from './sessions';

export interface BackgroundOptions {
  /** PBKDF2 iterations for a new passphrase; tests lower it, production keeps lib/lock's default. */
  iterations?: number;
  /** Vendor-call options (tests: short timeouts). */
  inventory?: InventoryOptions;
  /** Forces where blob URLs are made (false: Chrome's offscreen document); by default it is feature-detected. */
  blobUrls?: boolean;
}

/**
 * The background's modules wired together. Nothing here lives only in memory: instances, secrets,
 * cache, the refresh checkpoint and live console sessions are in storage, so a suspended Firefox
 * event page or a stopped Chrome service worker starts again where it was.
 */
export function createBackgroundApp(options: BackgroundOptions = {}) {
  const store = createInstanceStore({ iterations: options.iterations });
  const inventory = guardedInventory(options.inventory, () => store.refusedSecrets());

  async function updateBadge(): Promise<void> {
    await showBadge((await cachedView(await store.listPublic(), new Date())).totals);
  }

  async function syncConsoles(): Promise<void> {
    await syncContentScripts(await consoleScriptOrigins(await store.listPublic()));
  }

  const notifier = createNotifier({ store });
  const refresher = createRefresher({
    store,
    async afterRun() {
      await updateBadge();
      // A notification that cannot be shown must not fail the refresh the popup waits for.
      await notifier.afterRefresh().catch((error: unknown) => console.warn('KeyAtlas: notification failed:', error));
    },
    inventory,
  });

  const urlKind = options.blobUrls === undefined ? {} : { blobUrls: options.blobUrls };
  const exportDeps = {
    inventory,
    afterRun: updateBadge,
    download: (csv: string, fileName: string, { holdsKeyValues }: { holdsKeyValues: boolean }) => downloadFile(csv, fileName, { holdsKeyValues, ...urlKind }),
    downloadEvidence: (json: string, fileName: string) => downloadFile(json, fileName, { mime: 'application/json', ...urlKind }),
    version: () => browser.runtime.getManifest().version,
  };

  const sessions = createConsoleSessions({
    extensionUrl: browser.runtime.getURL('/'),
    isGranted: isGrantedSingly,
    isConsole: async (origin, vendor, tabId) => isConsoleOf(await store.listPublic(), origin, vendor, tabId),
    onChange: (tabId) => void sendMessage('console:session', undefined, tabId).catch(() => undefined),
  });

  /**
   * Every export, from the popup or a console: a session KeyAtlas's call had refused is dropped, and
   * an instance that exists only through a console session stays out of the popup's cache.
   */
  async function runExport(
    instances: ResolvedInstance[],
    {
      scope,
      keys,
      passphrase,
      evidence,
      onProgress,
    }: { scope: string; keys: KeyMode; passphrase?: string; evidence?: boolean; onProgress?: (read: number, total?: number) => void },
  ) {
    // Key values leave only for someone who knows the passphrase, not for any unlocked browser,
    // whichever surface asks (popup, session export, console button).
    if (keys === 'full') await verifyForKeyValues(passphrase);
    const configured = await store.listPublic();
    // By name and URL: a console host may happen to be the name of another configured instance.
    const cache = instances.every((inst) => configured.some((c) => c.name === inst.name && c.url === inst.url));
    return refresher.exclusive(() =>
      dropRefusedSessions(sessions, instances, inventory, (withDrops) =>
        exportInstances(instances, { scope, keys, evidence, onProgress, cache }, { ...exportDeps, inventory: withDrops }),
      ),
    );
  }

  async function verifyForKeyValues(passphrase: string | undefined): Promise<void> {
    if (!(await store.lockState()).hasPassphrase) return;
    if (!passphrase) throw new Error(t('error_fullKeysNeedPassphrase'));
    await store.verifyPassphrase(passphrase);
  }

  const oneOptionsTab = createMutex();
  let optionsTab: number | undefined;
  const bridge = createConsoleBridge({
    async listInstances() {
      try {
        return await store.loadResolved();
      } catch (error) {
        if (error instanceof LockedError) return 'locked';
        throw error;
      }
    },
    exportInstances: (instances, onProgress) => runExport(instances, { scope: instances.length === 1 ? instances[0]!.name : 'all', keys: 'masked', onProgress }),
    sessionFor: (origin) => sessions.get(origin),
    // One options tab at most, reused while it is open: a console page cannot flood the browser with tabs.
    openOptions: (hash) =>
      oneOptionsTab(async () => {
        const url = browser.runtime.getURL(`/options.html${hash}`);
        const reused = optionsTab === undefined ? undefined : await browser.tabs.update(optionsTab, { url, active: true }).catch(() => undefined);
        if (!reused) optionsTab = (await browser.tabs.create({ url })).id;
      }),
    notify: (tabId, progress) => void sendMessage('console:progress', progress, tabId).catch(() => undefined),
  });

  const autoLock = createAutoLock({ store });
  const handlers = createPageHandlers({
    store,
    autoLock,
    refresher,
    inventory,
    exportInstances: runExport,
    sessions,
    async afterChange() {
      await Promise.all([updateBadge(), syncConsoles()]);
    },
  });

  const route = createRouter({ handlers, bridge, self: { id: browser.runtime.id, pagesUrl: browser.runtime.getURL('/') }, onActivity: autoLock.noteActivity });

  /** Every start of the worker or event page. */
  async function start(): Promise<void> {
    await Promise.all([restrictStorage(), ensureRefreshAlarm(), autoLock.start(), updateBadge().catch(() => undefined), syncConsoles().catch(() => undefined)]);
    await refresher.resume();
  }

  return { route, refresher, start, syncConsoles, sessions, notifier, autoLock };
}

/**
 * Keeps storage away from content scripts where the browser lets us: Chrome supports it for both
 * areas; Firefox lacks it for `local` (there the passphrase lock is the guard).
 */
async function restrictStorage(): Promise<void> {
  for (const area of [browser.storage.local, browser.storage.session] as { setAccessLevel?: (o: { accessLevel: string }) => Promise<void> }[]) {
    try {
      await area.setAccessLevel?.({ accessLevel: 'TRUSTED_CONTEXTS' });
    } catch {
      // Unsupported for this area: nothing more to do.
    }
  }
}
