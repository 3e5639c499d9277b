import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { REFRESH_ALARM } from './alarms';
import { loadApp, senders, stubBrowserApis } from '../../test/support/background';

const GRANTED = new Set(['https://core.example/*', 'https://tenant.example/*']);
let browserApis: ReturnType<typeof stubBrowserApis>;

beforeEach(() => {
  fakeBrowser.reset();
  browserApis = stubBrowserApis({ granted: (pattern) => GRANTED.has(pattern) });
});
afterEach(() => {
  vi.restoreAllMocks();
});

const INSTANCES: Record<string, string>[] = [
  { name: 'core-prod', vendor: 'metadefender-core', url: 'https://core.example:8008', apiKey: 'CORE-KEY-0123456789' },
  { name: 'xsoar', vendor: 'cortex-xsoar', url: 'https://api-tenant.example', apiKey: 'XSOAR-KEY-0123456789', apiKeyId: '7' },
  { name: 'vault', vendor: 'metadefender-vault', url: 'https://vault.example:8010', apiKey: 'VAULT-KEY-0123456789' },
];

describe('background start', () => {
  it('creates the 6-hourly refresh alarm, and leaves a correct one alone', async () => {
    const { app } = await loadApp();
    await app.start();
    const alarm = await fakeBrowser.alarms.get(REFRESH_ALARM);
    expect(alarm).toMatchObject({ name: 'refresh', periodInMinutes: 6 * 60 });

    // A restart must not push the next refresh back by another 6 hours.
    await (await loadApp()).app.start();
    expect((await fakeBrowser.alarms.get(REFRESH_ALARM))?.scheduledTime).toBe(alarm!.scheduledTime);

    // Alarms lost (browser update) or from an older schedule are created again.
    await fakeBrowser.alarms.clearAll();
    await (await loadApp()).app.start();
    expect(await fakeBrowser.alarms.get(REFRESH_ALARM)).toMatchObject({ periodInMinutes: 360 });
    fakeBrowser.alarms.create(REFRESH_ALARM, { periodInMinutes: 5 });
    await (await loadApp()).app.start();
    expect(await fakeBrowser.alarms.get(REFRESH_ALARM)).toMatchObject({ periodInMinutes: 360 });
  });

  it('asks for TRUSTED_CONTEXTS storage where supported and survives where it is not', async () => {
    const session = vi.fn(async () => undefined);
    Object.assign(fakeBrowser.storage.session, { setAccessLevel: session });
    try {
      // Firefox: storage.local has no setAccessLevel at all.
      const { app } = await loadApp();
      await app.start();
      expect(session).toHaveBeenCalledWith({ accessLevel: 'TRUSTED_CONTEXTS' });

      const local = vi.fn(async () => {
        throw new Error('not supported for this area');
      });
      Object.assign(fakeBrowser.storage.local, { setAccessLevel: local });
      await (await loadApp()).app.start();
      expect(local).toHaveBeenCalledWith({ accessLevel: 'TRUSTED_CONTEXTS' });
    } finally {
      delete (fakeBrowser.storage.session as { setAccessLevel?: unknown }).setAccessLevel;
      delete (fakeBrowser.storage.local as { setAccessLevel?: unknown }).setAccessLevel;
    }
  });

  it('registers the console script for granted console origins only (XSOAR: the console host), and follows changes', async () => {
    const { app, ask } = await loadApp();
    for (const instance of INSTANCES) await ask('instances:save', { instance });
    await app.start();
    expect(browserApis.registered.get('keyatlas-console')?.matches).toEqual(['https://core.example/*', 'https://tenant.example/*']);
    await ask('instances:remove', { name: 'core-prod' });
    expect(browserApis.registered.get('keyatlas-console')?.matches).toEqual(['https://tenant.example/*']);
    await ask('instances:remove', { name: 'xsoar' });
    expect(browserApis.registered.has('keyatlas-console')).toBe(false);
  });

  it('also registers the console script on every granted host pattern, so unconfigured consoles get their button', async () => {
    vi.restoreAllMocks();
    browserApis = stubBrowserApis({
      granted: (pattern) => GRANTED.has(pattern),
      // Test hosts and per-console grants; an "all sites" grant is no list of consoles.
      grantedPatterns: ['http://127.0.0.1/*', 'http://*.keyatlas.test/*', 'https://core.example/*', '*://*/*', 'https://*/*', '<all_urls>'],
    });
    const { app, ask } = await loadApp();
    await app.start();
    expect(browserApis.registered.get('keyatlas-console')?.matches).toEqual(['http://*.keyatlas.test/*', 'http://127.0.0.1/*', 'https://core.example/*']);
    await ask('instances:save', { instance: INSTANCES[1]! });
    expect(browserApis.registered.get('keyatlas-console')?.matches).toEqual(['http://*.keyatlas.test/*', 'http://127.0.0.1/*', 'https://core.example/*', 'https://tenant.example/*']);
  });

  it('shows the badge from cached results at start', async () => {
    await fakeBrowser.storage.local.set({
      cache: {
        statuses: {},
        keys: [
          { instance: 'core-prod', vendor: 'metadefender-core', owner: 'a', key_id: '1', description: '', status: 'expired', expires: '', days_left: null },
          { instance: 'core-prod', vendor: 'metadefender-core', owner: 'b', key_id: '2', description: '', status: 'active', expires: new Date(Date.now() + 3 * 86_400_000).toISOString(), days_left: 3 },
          // Cached 40 days ago with 45 left: 5 left now, so it counts.
          { instance: 'core-prod', vendor: 'metadefender-core', owner: 'c', key_id: '3', description: '', status: 'active', expires: new Date(Date.now() + 5 * 86_400_000 + 60_000).toISOString(), days_left: 45 },
          { instance: 'core-prod', vendor: 'metadefender-core', owner: 'd', key_id: '4', description: '', status: 'active', expires: '', days_left: null },
          // An instance no longer configured does not count.
          { instance: 'removed', vendor: 'metadefender-core', owner: 'e', key_id: '5', description: '', status: 'expired', expires: '', days_left: null },
        ],
      },
    });
    const { app, ask } = await loadApp();
    await ask('instances:save', { instance: INSTANCES[0]! });
    await app.start();
    expect(await fakeBrowser.action.getBadgeText({})).toBe('3');
    const state = await ask('state:get');
    expect(state.totals).toEqual({ total: 4, expired: 1, within7: 2, within30: 2, never: 1 });
    expect(state.keys.rows.find((k) => k.key_id === '3')?.days_left).toBe(5);
  });
});

describe('entrypoints/background main()', () => {
  it('wires messages, the refresh alarm, console-session observers and permission changes synchronously', async () => {
    vi.resetModules();
    const permissionListeners: (() => void)[] = [];
    vi.mocked(fakeBrowser.permissions.onAdded.addListener).mockImplementation((l) => void permissionListeners.push(l as () => void));
    const { default: background } = await import('../../entrypoints/background');
    background.main!();

    expect((fakeBrowser.alarms.onAlarm as unknown as { hasListeners(): boolean }).hasListeners()).toBe(true);
    expect(permissionListeners).toHaveLength(1);
    // A click on an expiry notification finds its listener in a freshly woken worker.
    expect((fakeBrowser.notifications.onClicked as unknown as { hasListeners(): boolean }).hasListeners()).toBe(true);
    expect([browserApis.webRequest.sent, browserApis.webRequest.completed, browserApis.webRequest.failed].map((l) => l.length)).toEqual([1, 1, 1]);
    // @webext-core/messaging 4 answers through sendResponse after its listener returned true.
    const reply = await new Promise((resolve) =>
      void (fakeBrowser.runtime.onMessage.trigger as (...args: unknown[]) => Promise<unknown[]>)({ id: 1, type: 'state:get', timestamp: Date.now() }, senders.popup(), resolve),
    );
    expect(reply).toMatchObject({ res: { locked: false, hasPassphrase: false, instances: [], refreshing: null } });

    // The alarm runs a refresh: its checkpoint appears in storage.session and is cleared when done.
    const finished = new Promise<void>((resolve) =>
      fakeBrowser.storage.session.onChanged.addListener((changes: Record<string, { newValue?: unknown }>) => {
        if ('refreshing' in changes && changes.refreshing!.newValue == null) resolve();
      }),
    );
    await fakeBrowser.alarms.onAlarm.trigger({ name: REFRESH_ALARM, scheduledTime: Date.now() });
    await finished;

    // A granted origin re-syncs the console script registration.
    const synced = new Promise<void>((resolve) => vi.mocked(fakeBrowser.scripting.getRegisteredContentScripts).mockImplementationOnce(async () => (resolve(), [])));
    permissionListeners[0]!();
    await synced;
  });
});
