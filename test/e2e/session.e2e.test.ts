import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page, Worker } from 'playwright-core';
import type { browser as extensionApi } from 'wxt/browser';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleVendorId } from '../../lib/consoles';
import { csvFileName, toCsv } from '../../lib/csv';
import { runInventory } from '../../lib/inventory';
import { sessionInstance, type SessionVendor } from '../../lib/session-capture';
import { testExtensionDir } from '../../scripts/build-test-extension';
import { consoleRouteFor, consoleSites } from '../mock-vendors/consoles/index';
import { CORE_ADMIN_PASSWORD, CORE_ADMIN_USER, startCoreMock } from '../mock-vendors/metadefender-core';
import { STORAGE_ADMIN_PASSWORD, STORAGE_ADMIN_USER, startStorageMock } from '../mock-vendors/metadefender-storage';
import { startVaultMock, VAULT_ADMIN_PASSWORD, VAULT_USERNAME } from '../mock-vendors/metadefender-vault';
import type { MockServer } from '../mock-vendors/server';
import { ConsolePage } from './pages/console-page';
import { requireBrowser, skipWithout } from './support/browsers';
import { launchChromium, type ExtensionBrowser } from './support/chromium';
import { parseCsv } from './support/fleet';
import { until } from './support/wait';

/** What the service worker sees as `chrome` (the same API WXT's `browser` wraps). */
type WorkerGlobal = { chrome: typeof extensionApi };

/** Everything in one of the extension's storage areas, read inside its service worker. */
function storageText(worker: Worker, area: 'local' | 'session'): Promise<string> {
  return worker.evaluate(async (name) => JSON.stringify(await (globalThis as unknown as WorkerGlobal).chrome.storage[name].get(null)), area);
}

/**
 * Console sessions (docs/contract.md#console-sessions) in a real Chromium: nothing configured, the admin logs into a mock console the way the
 * real one signs in, and one click on the console button exports it with that session.
 */
describe.skipIf(skipWithout('chromium'))('zero-setup export from the console session (Chromium)', () => {
  const consolesUnderTest = {
    'metadefender-core': { start: () => startCoreMock(), user: CORE_ADMIN_USER, password: CORE_ADMIN_PASSWORD },
    'metadefender-storage': { start: () => startStorageMock(), user: STORAGE_ADMIN_USER, password: STORAGE_ADMIN_PASSWORD },
    'metadefender-vault': { start: () => startVaultMock(), user: VAULT_USERNAME, password: VAULT_ADMIN_PASSWORD },
  } satisfies Partial<Record<SessionVendor, unknown>>;

  const servers = {} as Record<keyof typeof consolesUnderTest, MockServer>;
  let root: string;
  let browser: ExtensionBrowser;

  beforeAll(async () => {
    const executablePath = requireBrowser('chromium');
    for (const [vendor, { start }] of Object.entries(consolesUnderTest) as [keyof typeof consolesUnderTest, (typeof consolesUnderTest)[keyof typeof consolesUnderTest]][]) {
      servers[vendor] = await start();
      servers[vendor].extraRoutes.push(consoleRouteFor(vendor, { login: true }));
    }
    root = mkdtempSync(join(tmpdir(), 'keyatlas-e2e-session-'));
    browser = await launchChromium({ executablePath, extensionDir: testExtensionDir('chrome'), userDataDir: join(root, 'profile'), downloadDir: join(root, 'downloads') });
    // A fresh install registers the console script for the granted test hosts as its worker starts.
    const worker = await browser.worker();
    await until(
      () => worker.evaluate(async () => (await (globalThis as unknown as WorkerGlobal).chrome.scripting.getRegisteredContentScripts()).length > 0),
      'the console script registration',
    );
  });

  // docs/contract.md#languages-and-accessibility: no extension page, worker or content script logs an error or a CSP violation.
  afterEach(() => {
    expect(browser.takeErrors()).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all(Object.values(servers).map((server) => server.close()));
    if (root) rmSync(root, { recursive: true, force: true });
  });

  /** Opens the console's key page, is sent to its sign-in form, signs in, and lands back on the key page. */
  async function logIn(vendor: keyof typeof consolesUnderTest): Promise<Page> {
    const site = consoleSites[vendor as ConsoleVendorId];
    const route = Object.keys(site.pages)[0]!;
    const page = await browser.context.newPage();
    await page.goto(`${servers[vendor].url}/${site.routing === 'hash' ? `#${route}` : route.slice(1)}`);
    const form = page.locator('form.mock-login');
    await form.locator('input[name="user"]').fill(consolesUnderTest[vendor].user);
    await form.locator('input[name="password"]').fill(consolesUnderTest[vendor].password);
    await form.locator('button[type="submit"]').click();
    await page.locator('.mock-api-list').waitFor();
    return page;
  }

  /** The session id the page keeps for itself (the mock console's sessionStorage). */
  const pageSession = (page: Page) => page.evaluate(() => sessionStorage.getItem('mock-console-session'));

  it.each(Object.keys(consolesUnderTest) as (keyof typeof consolesUnderTest)[])(
    '%s: log in, one click, the CSV of the console’s keys — and the session never reaches storage.local',
    async (vendor) => {
      const server = servers[vendor];
      const host = new URL(server.url).host;
      const startedAt = new Date();
      const page = await logIn(vendor);
      const token = await pageSession(page);
      expect(token).toBeTruthy();

      // The button says up front which credential it will use.
      const consolePage = new ConsolePage(page);
      const said = await consolePage.announcement('the session line', (_label, status) => status === 'Uses your current console session');
      expect(said.label).toBe('Export all keys');

      const status = await consolePage.export();
      const file = await browser.downloads.next(`the ${vendor} session export`);
      // keyatlas-<console host>-<UTC date>.csv, the date possibly having turned while the test ran.
      expect([csvFileName(host, startedAt), csvFileName(host, new Date())]).toContain(file.fileName);
      // The rows and the coverage are what the engine reads from the same mock with the same session (keys masked).
      const { records, results } = await runInventory([sessionInstance(server.url, vendor, token!)], { now: new Date() });
      expect(status).toBe(`Exported ${records.length} key${records.length === 1 ? '' : 's'} with your current session → ${file.fileName}. Coverage: ${results[0]!.coverage}.`);
      expect(results.map((r) => r.error)).toEqual([undefined]);
      expect(records.length).toBeGreaterThan(0);
      expect(parseCsv(file.text)).toEqual(parseCsv(toCsv(records, { keys: 'masked' })));

      // The extension kept the session in storage.session only.
      const worker = await browser.worker();
      expect(await storageText(worker, 'local')).not.toContain(token);
      expect(await storageText(worker, 'session')).toContain(token);
      await page.close();
    },
  );

  it('Core: the popup lists the live console and exports it; logging out of the console drops the session', async () => {
    const page = await logIn('metadefender-core');
    const token = (await pageSession(page))!;
    const server = servers['metadefender-core'];

    const startedAt = new Date();
    const popup = await browser.openPage('popup.html');
    const row = popup.locator(`[data-testid="live-session"][data-origin="${server.url}"]`);
    await row.locator('button', { hasText: 'Export with your current session' }).click();
    const file = await browser.downloads.next('the popup session export');
    expect([csvFileName(new URL(server.url).host, startedAt), csvFileName(new URL(server.url).host, new Date())]).toContain(file.fileName);
    await row.locator('.ok').waitFor();

    // The console's own call after a server-side logout is refused: the session is gone from the extension.
    await page.evaluate(async (session) => {
      await fetch('/logout', { method: 'POST', headers: { apikey: session } });
      await fetch('/admin/user', { headers: { apikey: session } });
    }, token);
    const worker = await browser.worker();
    await expect.poll(() => storageText(worker, 'session'), { timeout: 10_000 }).not.toContain(token);
    await popup.reload();
    await popup.locator('h1').waitFor();
    expect(await row.count()).toBe(0);
    await popup.close();
    await page.close();
  });
});
