import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testExtensionDir } from '../../scripts/build-test-extension';
import type { ConsoleVendorId } from '../../lib/consoles';
import { consoleSites } from '../mock-vendors/consoles/index';
import { BUTTON_HOST, ConsolePage } from './pages/console-page';
import { OptionsPage } from './pages/options-page';
import { consoles } from '../../lib/consoles';
import { axeViolations } from './support/axe';
import { boxesOf, shadowLineBoxes, touchingLabels, type Box } from './support/layout';
import { screenshotPath } from './support/screenshots';
import { requireBrowser, skipWithout } from './support/browsers';
import { launchChromium, type ExtensionBrowser } from './support/chromium';
import { startBrowserFleet, type BrowserFleet } from './support/fleet';

/** docs/contract.md#languages-and-accessibility: axe-core finds nothing on the options page in each of its states, nor on a console with the button. */
describe.skipIf(skipWithout('chromium'))('accessibility of the options page and the console button (axe-core, Chromium)', () => {
  let fleet: BrowserFleet;
  let root: string;
  let browser: ExtensionBrowser;
  let options: OptionsPage;

  beforeAll(async () => {
    const executablePath = requireBrowser('chromium');
    fleet = await startBrowserFleet();
    root = mkdtempSync(join(tmpdir(), 'keyatlas-e2e-a11y-'));
    browser = await launchChromium({ executablePath, extensionDir: testExtensionDir('chrome'), userDataDir: join(root, 'profile'), downloadDir: join(root, 'downloads') });
    options = new OptionsPage(await browser.openPage('options.html'));
  });

  afterAll(async () => {
    await browser?.close();
    await fleet?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('the options page with no instance yet', async () => {
    await options.page.getByTestId('instance-form').waitFor();
    expect(await options.page.locator('.instance-item').count()).toBe(0);
    expect(await axeViolations(options.page)).toEqual([]);
  });

  it('the options page showing an import error, tied to the file input', async () => {
    const bad = { instances: [{ name: 'broken', vendor: 'metadefender-core', url: 'not a url' }] };
    await expect(options.importConfig(bad, 'broken.json')).rejects.toThrow(/the import failed/);
    const input = options.page.getByTestId('import-config');
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    expect((await input.getAttribute('aria-describedby'))?.split(' ')).toContain('import-error');
    expect(await axeViolations(options.page)).toEqual([]);
  });

  it('the options page with instances, and the form showing field errors', async () => {
    expect(await options.importConfig(fleet.browserConfig)).toContain('Imported 5 instances');
    await options.page.locator('.instance-item').first().waitFor();
    // Per-row buttons name their instance.
    const first = fleet.browserConfig.instances[0]!.name as string;
    await options.page.getByRole('button', { name: `Edit ${first}`, exact: true }).waitFor();
    expect(await axeViolations(options.page)).toEqual([]);

    // The add form waits behind its button; opened, its labels sit clear above their fields.
    expect(await options.page.getByTestId('instance-form').count()).toBe(0);
    await options.page.getByTestId('add-instance').click();
    await options.page.getByRole('button', { name: 'Add instance', exact: true }).click();
    expect(await touchingLabels(options.page)).toEqual([]);
    const name = options.page.locator('#field-name');
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    expect(await name.getAttribute('aria-describedby')).toContain('field-name-error');
    expect(await axeViolations(options.page)).toEqual([]);
  });

  // The mock consoles reproduce the vendors' own markup, flaws included (Core's key table has an
  // empty header cell): the button is checked on its own, and nothing the page reports is the button's.
  it.each(Object.keys(consoleSites) as ConsoleVendorId[])('the %s mock console with the KeyAtlas button, before and after an export', async (vendor) => {
    const page = new ConsolePage(await browser.context.newPage());
    await page.openKeysPage(fleet.consoleUrls(vendor));
    expect(await axeViolations(page.page, BUTTON_HOST)).toEqual([]);
    expect((await axeViolations(page.page)).filter((line) => line.includes(BUTTON_HOST))).toEqual([]);

    // Sized like the console's own button and on its line (docs/design.md#console-button).
    const own = consoles[vendor].buttonLike;
    const [[, ownY, , ownHeight]] = (await boxesOf(page.page, own)) as [Box];
    const [[, hostY, , hostHeight]] = (await boxesOf(page.page, BUTTON_HOST)) as [Box];
    expect(Math.abs(hostHeight - ownHeight)).toBeLessThanOrEqual(1);
    expect(Math.abs(hostY - ownY)).toBeLessThanOrEqual(1);
    const controls = `${own}, table, [role="grid"]`;
    const before = await boxesOf(page.page, controls);

    // The result is announced from the button's `status` live region, read here from the
    // accessibility tree (its shadow root is closed: no selector reaches it).
    expect(await page.export()).toMatch(/^Exported \d+ keys? .*→ \S+\. Coverage: [^.]+\.$/);
    expect(await axeViolations(page.page, BUTTON_HOST)).toEqual([]);
    // Shown in a popover: none of the console's controls moved, and the file name is one line.
    expect(await boxesOf(page.page, controls)).toEqual(before);
    expect(await shadowLineBoxes(page.page, 'file')).toEqual([1]);
    await page.page.screenshot({ path: screenshotPath(`chromium-console-result-${vendor}`), clip: { x: 0, y: 0, width: 1000, height: 420 } });
    await page.page.close();
  });
});
