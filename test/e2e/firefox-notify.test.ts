import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleVendorId } from '../../lib/consoles';
import type { Firefox } from './firefox/firefox';
import { launchWithTestBuild } from './firefox/launch';
import { importConfigFile, waitForPopupRefreshAfter } from './firefox/pages';
import { skipWithout } from './support/browsers';
import { startBrowserFleet, type BrowserFleet } from './support/fleet';
import { until } from './support/wait';

const CONSOLE_VENDORS: ConsoleVendorId[] = ['metadefender-core', 'metadefender-storage', 'metadefender-vault', 'cortex-xsoar'];
const TOGGLE = `() => document.querySelector('[data-testid="notify-toggle"]')`;

/**
 * docs/contract.md#ahead-of-expiry in Firefox: its notifications have no buttons, and the feature must
 * degrade to a plain notification rather than fail. Kept apart from firefox.test.ts (same harness).
 */
describe.skipIf(skipWithout('firefox'))('KeyAtlas notifications and console links in Firefox', () => {
  let fleet: BrowserFleet;
  let root: string;
  let firefox: Firefox;

  beforeAll(async () => {
    fleet = await startBrowserFleet();
    root = mkdtempSync(join(tmpdir(), 'keyatlas-e2e-firefox-notify-'));
    firefox = await launchWithTestBuild(root);
    const configPath = join(root, 'keyatlas-config.json');
    writeFileSync(configPath, JSON.stringify(fleet.browserConfig, null, 2));
    const options = await firefox.newTab('options.html');
    const since = new Date();
    expect(await importConfigFile(options, configPath)).toContain('Imported 5 instances');
    await options.close();
    const popup = await firefox.newTab('popup.html');
    await waitForPopupRefreshAfter(popup, since, fleet.instanceNames);
    await popup.close();
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

  it('notify-toggle turns notifications on without an error; a refresh shows one grouped notification', async () => {
    const options = await firefox.newTab('options.html');
    await options.waitFor(`() => !!(${TOGGLE})()`, 'the notify-toggle');
    expect(await options.evaluate<boolean>(`() => (${TOGGLE})().checked`)).toBe(false);
    // The section sits below the fold; a pointer click needs it on screen.
    await options.evaluate(`() => (${TOGGLE})().scrollIntoView({ block: 'center' })`);
    await options.click(TOGGLE);
    await options.waitFor(`() => !!document.querySelector('.notify-settings [role="status"], .notify-settings [role="alert"]')`, 'the notification setting to be saved');
    expect(await options.evaluate<string[]>(`() => [...document.querySelectorAll('.notify-settings [role="alert"]')].map((e) => e.textContent)`)).toEqual([]);
    expect(await options.evaluate<boolean>(`() => (${TOGGLE})().checked`)).toBe(true);
    await options.close();

    const popup = await firefox.newTab('popup.html');
    await popup.waitFor(`() => !!document.querySelector('[data-testid="refresh"]')`, 'the refresh button');
    const since = new Date();
    await popup.click(`() => document.querySelector('[data-testid="refresh"]')`);
    const view = await waitForPopupRefreshAfter(popup, since, fleet.instanceNames);
    expect(view.rows.filter((r) => r.error !== null)).toEqual([]);

    // Extension pages see the same notifications API as the event page that created them.
    const shown = await until(
      async () => {
        const ids = await popup.evaluate<string[]>(`async () => Object.keys(await browser.notifications.getAll())`);
        return ids.length ? ids : undefined;
      },
      'the expiry notification',
    );
    expect(shown).toHaveLength(1);
    expect(fleet.instanceNames.map((name) => `keyatlas-expiry:${name}`)).toContain(shown[0]);
    // Headless Firefox shows it in an alert window, which would then be the window new tabs open in.
    await popup.evaluate(`async (id) => browser.notifications.clear(id)`, shown[0]!);
    await until(async () => (await popup.evaluate<string[]>(`async () => Object.keys(await browser.notifications.getAll())`)).length === 0, 'the notification to close');
    await popup.close();
  });

  it('open-console links on instance and key rows lead to each console key page', async () => {
    const popup = await firefox.newTab('popup.html');
    await popup.waitFor(`() => !!document.querySelector('[data-testid="key-row"] a[data-testid="open-console"]')`, 'the key rows');
    const hrefOf = (name: string) =>
      popup.evaluate<string | null>(`(name) => document.querySelector('[data-testid="instance-row"][data-instance="' + name + '"] a[data-testid="open-console"]')?.getAttribute('href') ?? null`, name);
    for (const vendor of CONSOLE_VENDORS) {
      const href = await hrefOf(fleet.nameOf(vendor));
      expect(href, vendor).toBe(fleet.consoleUrls(vendor).keys);
      const tab = await firefox.newTab(href!);
      // The key page of the mock console: the one where the console button's host (docs/contract.md#test-ids) mounts.
      await tab.waitFor(`() => !!document.getElementById('keyatlas-export')`, `the ${vendor} console button`);
      await tab.close();
    }
    const cloud = fleet.nameOf('metadefender-cloud');
    const cloudUrl = String(fleet.browserConfig.instances.find((inst) => inst.name === cloud)!.url);
    expect(await hrefOf(cloud)).toBe(`${cloudUrl}/account`);
    const [instance, keyHref] = await popup.evaluate<[string, string]>(
      `() => { const row = document.querySelector('[data-testid="key-row"]'); return [row.dataset.instance, row.querySelector('a[data-testid="open-console"]').getAttribute('href')]; }`,
    );
    expect(keyHref).toBe(await hrefOf(instance));
    await popup.close();
  });
});
