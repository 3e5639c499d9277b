import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleVendorId } from '../../lib/consoles';
import { testExtensionDir } from '../../scripts/build-test-extension';
import { Firefox } from './firefox/firefox';
import {
  BUTTON_COUNT,
  BUTTON_HOST,
  BUTTON_IN_ROOT,
  BUTTON_STATUS,
  importConfigFile,
  PAGE_SEES_ROOT,
  PLANT_ERRORS_IN_EVENT_PAGE,
  PLANT_ERRORS_IN_PAGE,
  waitForPopupRefreshAfter,
} from './firefox/pages';
import { requireBrowser, skipWithout } from './support/browsers';
import { parseCsv, startBrowserFleet, utcDate, type BrowserFleet } from './support/fleet';
import { screenshotPath } from './support/screenshots';
import { until } from './support/wait';

/** Core on 127.0.0.1, XSOAR on its tenant name (`network.dns.localDomains`): both console kinds of origin. */
const CONSOLE_VENDORS: ConsoleVendorId[] = ['metadefender-core', 'cortex-xsoar'];

describe.skipIf(skipWithout('firefox'))('KeyAtlas in Firefox (MV3 event page, driven over WebDriver BiDi)', () => {
  let fleet: BrowserFleet;
  let expected: Awaited<ReturnType<BrowserFleet['expected']>>;
  let root: string;
  let firefox: Firefox;

  beforeAll(async () => {
    const executablePath = requireBrowser('firefox');
    fleet = await startBrowserFleet();
    expected = await fleet.expected();
    root = mkdtempSync(join(tmpdir(), 'keyatlas-e2e-firefox-'));
    const extensionDir = testExtensionDir('firefox');
    const manifest = JSON.parse(readFileSync(join(extensionDir, 'manifest.json'), 'utf8')) as { browser_specific_settings: { gecko: { id: string } } };
    firefox = await Firefox.launch({
      executablePath,
      extensionDir,
      extensionId: manifest.browser_specific_settings.gecko.id,
      profileDir: join(root, 'profile'),
      downloadDir: join(root, 'downloads'),
    });
  });

  // docs/contract.md#languages-and-accessibility: no extension page, event page or content script logs an error or a CSP violation.
  afterEach(async () => {
    expect(await firefox.takeErrors()).toEqual([]);
  });

  afterAll(async () => {
    await firefox?.close();
    await fleet?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('hears a console.error and a CSP violation planted in the popup, the options page and the event page', async () => {
    const popup = await firefox.newTab('popup.html');
    const options = await firefox.newTab('options.html');
    const planted: { href: string; marker: string; hash: string }[] = [];
    for (const [tab, plant, marker] of [
      [popup, PLANT_ERRORS_IN_PAGE, 'planted in the popup'],
      [options, PLANT_ERRORS_IN_PAGE, 'planted in the options page'],
      [popup, PLANT_ERRORS_IN_EVENT_PAGE, 'planted in the event page'],
    ] as const) {
      const href = await tab.evaluate<string>(plant, marker);
      planted.push({ href, marker, hash: createHash('sha256').update(`// ${marker}`).digest('base64') });
    }
    expect(new Set(planted.map((p) => p.href)).size).toBe(3);

    // Firefox checks an extension page against two policies (its base one for MV3 add-ons and the
    // manifest's `extension_pages`) and reports a violation of each from a task of its own, which
    // may run after the errors were collected: polled until both are heard, none left for afterEach.
    const heard: string[] = [];
    const reportsOf = ({ href, marker, hash }: (typeof planted)[number]) => {
      const fromPage = heard.filter((error) => error.startsWith(`${href} `));
      return { href, consoleError: fromPage.some((e) => e.includes(`console.error ${marker}`)), cspReports: fromPage.filter((e) => e.includes(`'sha256-${hash}'`)).length };
    };
    await expect
      .poll(
        async () => {
          heard.push(...(await firefox.takeErrors()));
          return planted.map(reportsOf);
        },
        { timeout: 10_000 },
      )
      .toEqual(planted.map(({ href }) => ({ href, consoleError: true, cspReports: 2 })));
    expect(heard.filter((error) => !planted.some(({ marker, hash }) => error.includes(marker) || error.includes(hash)))).toEqual([]);
    await options.close();
    await popup.close();
  });

  it('imports a config in the options page; the event page reads every vendor and the popup shows the engine counts', async () => {
    const configPath = join(root, 'keyatlas-config.json');
    writeFileSync(configPath, JSON.stringify(fleet.browserConfig, null, 2));
    const options = await firefox.newTab('options.html');
    const since = new Date();
    expect(await importConfigFile(options, configPath)).toContain('Imported 5 instances');

    const popup = await firefox.newTab('popup.html');
    const view = await waitForPopupRefreshAfter(popup, since, fleet.instanceNames);
    expect(view.rows.map((r) => r.name).sort()).toEqual([...fleet.instanceNames].sort());
    expect(view.rows.filter((r) => r.error !== null)).toEqual([]);
    const { expired, within7, within30, never } = expected.buckets;
    expect(view.summary).toEqual({ expired, within7, within30, never });
    expect(expired * within7 * within30 * never).toBeGreaterThan(0);
    await popup.screenshot(screenshotPath('firefox-popup'), `() => document.querySelector('main.popup')`);
    await options.close();
    await popup.close();
  });

  it('"Export CSV" saves keyatlas-all-<date>.csv (a blob URL download) with the rows the engine exports', async () => {
    const popup = await firefox.newTab('popup.html');
    await popup.waitFor(`() => !!document.querySelector('[data-testid="export-all"]')`, 'the export button');
    await popup.click(`() => document.querySelector('[data-testid="export-all"]')`);
    const result = await popup.waitFor<string>(`() => document.querySelector('[data-testid="export-result"]')?.textContent`, 'the export result');
    expect(result).toBe(`Saved keyatlas-all-${utcDate()}.csv (${expected.rows.length} rows)`);
    const file = await firefox.downloads.next('the export-all file');
    expect(file.fileName).toBe(`keyatlas-all-${utcDate()}.csv`);
    expect(parseCsv(file.text)).toEqual(expected.rows);
    await popup.close();
  });

  it.each(CONSOLE_VENDORS)('the %s console shows one "Export all keys" button whose click downloads that instance', async (vendor) => {
    const name = fleet.nameOf(vendor);
    const urls = fleet.consoleUrls(vendor);
    const tab = await firefox.newTab(urls.home);
    const link = new URL(urls.keys).hash || new URL(urls.keys).pathname;
    // The console's own link: a client-side route change, as a user clicks it.
    await tab.waitFor(`() => !!document.querySelector('a[href="${link}"]')`, 'the dashboard link');
    await tab.click(`() => document.querySelector('a[href="${link}"]')`);
    const root = await until(() => tab.shadowRoot(BUTTON_HOST), 'the console button');
    await until(() => tab.evaluate<boolean>(`(root) => !!(${BUTTON_IN_ROOT})(root)`, root), 'the button in its root');
    expect(await tab.evaluate<number>(BUTTON_COUNT)).toBe(1);
    expect(await tab.evaluate<boolean>(PAGE_SEES_ROOT)).toBe(false);
    await tab.screenshot(screenshotPath(`firefox-console-${vendor}`));

    await tab.click(BUTTON_IN_ROOT, root);
    const status = /^Exported (\d+) keys? .*→ (\S+)\. Coverage: ([^.]+)\.$/.exec(await until(() => tab.evaluate<string>(BUTTON_STATUS, root), 'the export status'));
    const wanted = expected.rows.filter((row) => row.instance === name);
    expect(status?.slice(1)).toEqual([String(wanted.length), `keyatlas-${name}-${utcDate()}.csv`, expected.coverage[name]]);
    const file = await firefox.downloads.next(`the ${name} export`);
    expect(file.fileName).toBe(`keyatlas-${name}-${utcDate()}.csv`);
    expect(parseCsv(file.text)).toEqual(wanted);
    await tab.close();
  });

  it('an event page suspended in the middle of a refresh wakes up, resumes from its checkpoint and reads only what was left', async () => {
    const vault = fleet.fleet.servers['metadefender-vault'];
    vault.fault({ kind: 'delay', ms: 20_000 }, { path: /^\/vault_rest\/tokens\//, times: 1 });
    const popup = await firefox.newTab('popup.html');
    await popup.waitFor(`() => !!document.querySelector('[data-testid="refresh"]')`, 'the refresh button');
    const since = new Date();
    await popup.click(`() => document.querySelector('[data-testid="refresh"]')`);
    await popup.waitFor(`() => document.querySelector('[data-testid="refresh-progress"]')?.textContent.includes('4 of 5')`, 'four of five instances read');
    await until(() => vault.inFlight > 0, 'the vault read to be under way');

    const servers = Object.values(fleet.fleet.servers);
    const before = servers.map((s) => s.requests.length);
    await firefox.suspendBackground();

    // The popup's next message wakes the event page, which finds the checkpoint and goes on.
    const view = await waitForPopupRefreshAfter(popup, since, fleet.instanceNames);
    expect(view.rows.map((r) => r.error)).toEqual([null, null, null, null, null]);
    const after = servers.map((s) => s.requests.length);
    expect(servers.filter((_, i) => after[i]! > before[i]!).map((s) => s.name)).toEqual(['metadefender-vault']);
    const { expired, within7, within30, never } = expected.buckets;
    expect(view.summary).toEqual({ expired, within7, within30, never });
    await popup.close();
  });
});
