import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ConsoleVendorId } from '../../lib/consoles';
import { toCsv } from '../../lib/csv';
import type { Evidence } from '../../lib/evidence';
import { outcomeOf } from '../../lib/outcome';
import { bucketize } from '../../lib/record';
import { testExtensionDir } from '../../scripts/build-test-extension';
import { validate } from '../cli/json-schema-check';
import { consoleSites } from '../mock-vendors/consoles/index';
import { BUTTON_HOST, ConsolePage } from './pages/console-page';
import { OptionsPage } from './pages/options-page';
import { PopupPage, summaryCounts as counts } from './pages/popup-page';
import { requireBrowser, skipWithout } from './support/browsers';
import { launchChromium, type ExtensionBrowser } from './support/chromium';
import { parseCsv, startBrowserFleet, utcDate, type BrowserFleet, type CsvRow } from './support/fleet';
import { brokenWords, otherScrollers, overflowing, touchingLabels, verticalBoxes } from './support/layout';
import { screenshotPath } from './support/screenshots';
import { until } from './support/wait';

const CONSOLE_VENDORS = Object.keys(consoleSites) as ConsoleVendorId[];
const PASSPHRASE = 'correct horse battery staple';

/** `keyatlas-<scope>-<UTC date>.csv`, where the date may have turned while the test ran. */
function expectFileName(fileName: string, scope: string, startedAt: Date): void {
  expect([...new Set([utcDate(startedAt), utcDate()])].map((date) => `keyatlas-${scope}-${date}.csv`)).toContain(fileName);
}

/**
 * Runs in an extension page, or in the service worker with `script` (an `importScripts` of another
 * origin stands in there for the inline script). One self-contained function, since `evaluate`
 * sends its source alone. The throw and the `new Function` (caught, as zod's probe catches it) run
 * in tasks of their own: `evaluate` lets its own code eval, and hands its own throws to the caller.
 */
function plant({ marker, script }: { marker: string; script?: string }): void {
  console.error(marker);
  if (script) {
    try {
      (globalThis as unknown as { importScripts(url: string): void }).importScripts(script);
    } catch {}
  } else {
    const inline = document.createElement('script');
    inline.textContent = `// ${marker}`;
    document.head.append(inline);
  }
  setTimeout(() => {
    throw new Error(marker);
  });
  setTimeout(() => {
    try {
      new Function(`// ${marker}`);
    } catch {}
  });
}

/** The browser's download list (its history), as an extension page reads it. */
function downloadsListed(page: Page): Promise<{ id: number; name: string }[]> {
  type Downloads = { downloads: { search(query: object): Promise<{ id: number; filename: string }[]> } };
  return page.evaluate(async () =>
    (await (globalThis as unknown as { chrome: Downloads }).chrome.downloads.search({})).map((d) => ({ id: d.id, name: d.filename.split(/[\\/]/).pop() ?? '' })),
  );
}

describe.skipIf(skipWithout('chromium'))('KeyAtlas in Chromium (real extension, real HTTP mocks)', () => {
  let executablePath: string;
  let fleet: BrowserFleet;
  let expected: Awaited<ReturnType<BrowserFleet['expected']>>;
  let root: string;
  let browser: ExtensionBrowser;
  let secrets: string[];

  const launch = () =>
    launchChromium({ executablePath, extensionDir: testExtensionDir('chrome'), userDataDir: join(root, 'profile'), downloadDir: join(root, 'downloads') });

  beforeAll(async () => {
    executablePath = requireBrowser('chromium');
    fleet = await startBrowserFleet();
    expected = await fleet.expected();
    secrets = fleet.browserConfig.instances.flatMap((inst) => [inst.apiKey, inst.password].filter((s): s is string => typeof s === 'string'));
    root = mkdtempSync(join(tmpdir(), 'keyatlas-e2e-chromium-'));
    browser = await launch();
  });

  afterAll(async () => {
    await browser?.close();
    await fleet?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  beforeEach(() => {
    for (const server of Object.values(fleet.fleet.servers)) server.clearFaults();
  });

  // docs/contract.md#languages-and-accessibility: no extension page, worker or content script logs an error or a CSP violation.
  afterEach(() => {
    expect(browser.takeErrors()).toEqual([]);
  });

  it('hears a console.error, an uncaught error and CSP violations planted in the popup, the options page and the service worker', async () => {
    const popup = await browser.openPage('popup.html');
    const options = await browser.openPage('options.html');
    const worker = await browser.worker();
    const script = 'http://127.0.0.1:9/planted.js';
    const planted = [
      { source: popup.url(), marker: 'planted in the popup' },
      { source: options.url(), marker: 'planted in the options page' },
      { source: worker.url(), marker: 'planted in the service worker' },
    ];
    await popup.evaluate(plant, { marker: planted[0]!.marker });
    await options.evaluate(plant, { marker: planted[1]!.marker });
    await worker.evaluate(plant, { marker: planted[2]!.marker, script });

    const kindOf = (text: string, marker: string) => {
      if (text === marker) return 'console.error';
      if (text === `Uncaught Error: ${marker}`) return 'uncaught error';
      const hash = createHash('sha256').update(`// ${marker}`).digest('base64');
      if (text.startsWith('Executing inline script violates') && text.includes(`'sha256-${hash}'`)) return 'inline script';
      if (text === "Content Security Policy directive 'script-src' blocked eval") return 'eval';
      if (text.startsWith(`Loading the script '${script}' violates the following Content Security Policy directive: "script-src 'self'"`)) return 'importScripts';
      return text;
    };
    // Labelled with the page or worker it came from; anything else shows up whole.
    const classify = (error: string) => {
      const from = planted.find(({ source }) => error.startsWith(`${source}: `));
      return from ? `${from.source} ${kindOf(error.slice(from.source.length + 2), from.marker)}` : error;
    };
    // Chromium holds extension pages and the worker to two policies, its own MV3 minimum and the
    // manifest's `extension_pages`, and reports a violation of each; the minimum allows 127.0.0.1.
    const [inPopup, inOptions, inWorker] = planted.map(({ source }) => source);
    const expected = [
      ...[inPopup, inOptions].flatMap((page) => ['console.error', 'uncaught error', 'inline script', 'inline script', 'eval', 'eval'].map((kind) => `${page} ${kind}`)),
      ...['console.error', 'uncaught error', 'importScripts', 'eval', 'eval'].map((kind) => `${inWorker} ${kind}`),
    ];
    const heard: string[] = [];
    await expect
      .poll(
        () => {
          heard.push(...browser.takeErrors());
          return heard.map(classify).sort();
        },
        { timeout: 10_000 },
      )
      .toEqual(expected.sort());
    await options.close();
    await popup.close();
  });

  it('imports a config of all five vendors in the options page, and the popup shows what the engine reads', async () => {
    const options = new OptionsPage(await browser.openPage('options.html'));
    const since = new Date();
    expect(await options.importConfig(fleet.browserConfig)).toContain('Imported 5 instances');

    const popup = new PopupPage(await browser.openPage('popup.html'));
    const rows = await popup.waitForRefreshAfter(since, fleet.instanceNames);
    expect(rows.map((r) => r.name).sort()).toEqual([...fleet.instanceNames].sort());
    expect(rows.filter((r) => r.error !== null)).toEqual([]);
    expect(await popup.summary()).toEqual(counts(expected.buckets));
    // The mocks hold keys of every bucket, so each count is really checked.
    expect(Object.values(counts(expected.buckets)).every((n) => n > 0)).toBe(true);

    const tones = await popup.tones();
    expect(tones.expired).toBe(expected.buckets.expired);
    expect(tones.soon).toBe(expected.buckets.within7);
    expect(new Set([tones.expiredColor, tones.soonColor, tones.plainColor]).size).toBe(3);

    // docs/design.md in English: health above the keys, nothing cut or broken, labels clear of their fields.
    const boxes = await verticalBoxes(popup.page, { health: '.health', keys: '.key-table' });
    expect(boxes.health.bottom).toBeLessThan(boxes.keys.top);
    expect(await brokenWords(popup.page)).toEqual([]);
    expect(await otherScrollers(popup.page, 'main.popup')).toEqual([]);
    expect(await overflowing(popup.page, 'main.popup')).toEqual([]);

    await options.page.reload();
    await options.page.locator('.instance-item').first().waitFor();
    expect(await touchingLabels(options.page)).toEqual([]);
    await options.page.screenshot({ path: screenshotPath('chromium-options'), fullPage: true });
    await popup.screenshot(screenshotPath('chromium-popup'));
    // Both pages follow the system theme (ext/ui/theme.css): the README shows both.
    const background = (page: typeof popup.page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const light = await background(popup.page);
    for (const page of [options.page, popup.page]) await page.emulateMedia({ colorScheme: 'dark' });
    expect(await background(popup.page)).not.toBe(light);
    expect(await background(options.page)).toBe(await background(popup.page));
    await options.page.screenshot({ path: screenshotPath('chromium-options-dark'), fullPage: true });
    await popup.screenshot(screenshotPath('chromium-popup-dark'));
    await options.page.close();
    await popup.page.close();
  });

  it('"Export CSV" downloads keyatlas-all-<date>.csv with the rows the engine exports, keys masked', async () => {
    const popup = new PopupPage(await browser.openPage('popup.html'));
    const startedAt = new Date();
    expect(await popup.exportAll()).toBe(`Saved keyatlas-all-${utcDate()}.csv (${expected.rows.length} rows)`);
    const file = await browser.downloads.next('the export-all file');
    expectFileName(file.fileName, 'all', startedAt);
    expect(parseCsv(file.text)).toEqual(expected.rows);
    for (const secret of secrets) expect(file.text).not.toContain(secret);
    await popup.page.close();
  });

  it('owner marks and orphan counts as the engine reads them; the rotation policy set in Options adds filter-rotate and its count', async () => {
    const popup = new PopupPage(await browser.openPage('popup.html'));
    await popup.waitForDashboard();
    await until(async () => (await popup.page.getByTestId('key-row').count()) === expected.records.length || undefined, 'every key row');
    // Every key the engine found an owner state for carries that mark in its row, and no other row has one.
    const marks = await popup.page.$$eval('[data-testid="key-row"]', (rows) =>
      rows.map((row) => `${(row as HTMLElement).dataset.instance}/${(row as HTMLElement).dataset.keyId}:${row.querySelector('[data-testid="owner-state"]')?.getAttribute('data-state') ?? ''}`),
    );
    expect(marks.sort()).toEqual(expected.records.map((r) => `${r.instance}/${r.key_id}:${r.owner_state}`).sort());
    expect(marks.some((m) => m.endsWith(':orphaned')) && marks.some((m) => m.endsWith(':active')) && marks.some((m) => m.endsWith(':inactive'))).toBe(true);
    const xsoar = fleet.nameOf('cortex-xsoar');
    const orphaned = expected.records.filter((r) => r.instance === xsoar && r.owner_state === 'orphaned').length;
    expect(await popup.page.locator(`[data-testid="instance-row"][data-instance="${xsoar}"] [data-testid="instance-orphaned"]`).textContent()).toBe(`${orphaned} orphaned keys`);
    // No policy yet: no chip, no count.
    expect(await popup.page.getByTestId('filter-rotate').count()).toBe(0);

    const options = await browser.openPage('options.html');
    const maxAge = options.getByTestId('max-key-age');
    await maxAge.fill('100');
    await maxAge.press('Tab');
    await options.getByText('Settings saved.').waitFor();
    await popup.page.reload();
    const due = expected.records.filter((r) => r.age_days !== null && r.age_days > 100);
    expect(due.length).toBeGreaterThan(0);
    expect(Number(await popup.page.getByTestId('summary-rotate').textContent())).toBe(due.length);
    await popup.page.getByTestId('filter-rotate').click();
    const rotateRows = () => popup.page.$$eval('[data-testid="key-row"]', (rows) => rows.map((row) => `${(row as HTMLElement).dataset.instance}/${(row as HTMLElement).dataset.keyId}`).sort());
    await until(async () => (await rotateRows()).length === due.length || undefined, 'the keys due for rotation');
    expect(await rotateRows()).toEqual(due.map((r) => `${r.instance}/${r.key_id}`).sort());
    expect(await popup.page.getByTestId('key-rotate').count()).toBe(due.length);

    // Off again, so the notifications below announce expiries only.
    await maxAge.fill('0');
    await maxAge.press('Tab');
    await until(
      async () => {
        await popup.page.reload();
        await popup.waitForDashboard();
        return (await popup.page.getByTestId('filter-rotate').count()) === 0 || undefined;
      },
      'the popup without a rotation policy',
    );
    await options.close();
    await popup.page.close();
  });

  it('notify-toggle turns notifications on; a refresh shows one grouped notification the worker can list; open-console links reach every console page', async () => {
    const options = await browser.openPage('options.html');
    const toggle = options.getByTestId('notify-toggle');
    await toggle.check();
    await until(async () => (await toggle.isChecked()) && (await options.getByRole('status').count()) > 0, 'the notification setting to be saved');
    await options.close();

    const popup = new PopupPage(await browser.openPage('popup.html'));
    await popup.waitForDashboard();
    const since = new Date();
    await popup.refresh();
    await popup.waitForRefreshAfter(since, fleet.instanceNames);
    const worker = await browser.worker();
    const shown = await until(
      async () => {
        const all = await worker.evaluate(() => (globalThis as unknown as { chrome: { notifications: { getAll(): Promise<Record<string, boolean>> } } }).chrome.notifications.getAll());
        return Object.keys(all).length ? Object.keys(all) : null;
      },
      'the expiry notification',
    );
    expect(shown).toHaveLength(1);
    expect(fleet.instanceNames.map((name) => `keyatlas-expiry:${name}`)).toContain(shown[0]);

    // Each instance row links to its console's key page, which the mock console serves.
    for (const vendor of CONSOLE_VENDORS) {
      const href = await popup.page.locator(`[data-testid="instance-row"][data-instance="${fleet.nameOf(vendor)}"] a[data-testid="open-console"]`).getAttribute('href');
      expect(href).toBe(fleet.consoleUrls(vendor).keys);
      const page = await browser.context.newPage();
      expect((await page.goto(href!))?.status()).toBe(200);
      await page.close();
    }
    const cloud = fleet.nameOf('metadefender-cloud');
    const cloudUrl = String(fleet.browserConfig.instances.find((inst) => inst.name === cloud)!.url);
    expect(await popup.page.locator(`[data-testid="instance-row"][data-instance="${cloud}"] a[data-testid="open-console"]`).getAttribute('href')).toBe(`${cloudUrl}/account`);
    const keyRow = popup.page.locator('[data-testid="key-row"]').first();
    const instance = await keyRow.getAttribute('data-instance');
    expect(await keyRow.locator('a[data-testid="open-console"]').getAttribute('href')).toBe(
      await popup.page.locator(`[data-testid="instance-row"][data-instance="${instance}"] a[data-testid="open-console"]`).getAttribute('href'),
    );
    await popup.page.close();
  });

  it.each(CONSOLE_VENDORS)('the %s console shows one "Export all keys" button that survives route changes and exports its instance', async (vendor) => {
    const name = fleet.nameOf(vendor);
    const page = new ConsolePage(await browser.context.newPage());
    await page.openKeysPage(fleet.consoleUrls(vendor));
    expect(await page.buttonCount()).toBe(1);
    // A page script sees the host element only: the closed root gives it no way to the button or its status.
    expect(await page.page.evaluate((id) => document.getElementById(id)!.shadowRoot === null, BUTTON_HOST.slice(1))).toBe(true);
    await page.leaveAndReturn();
    expect(await page.buttonCount()).toBe(1);

    const startedAt = new Date();
    const wanted: CsvRow[] = expected.rows.filter((row) => row.instance === name);
    // The result names what the credential could see, as the engine states it.
    const status = /^Exported (\d+) keys? .*→ (\S+)\. Coverage: ([^.]+)\.$/.exec(await page.export());
    expect(status?.slice(1)).toEqual([String(wanted.length), `keyatlas-${name}-${utcDate()}.csv`, expected.coverage[name]]);
    const file = await browser.downloads.next(`the ${name} export`);
    expectFileName(file.fileName, name, startedAt);
    expect(parseCsv(file.text)).toEqual(wanted);
    expect(await page.buttonCount()).toBe(1);
    await page.page.screenshot({ path: screenshotPath(`chromium-console-${vendor}`), clip: { x: 0, y: 0, width: 760, height: 480 } });
    await page.page.close();
  });

  it('an element carrying data-keyatlas-anchor on any route of a configured origin gets the button (the docs/contract.md#test-hooks)', async () => {
    const page = await browser.context.newPage();
    await page.goto(fleet.consoleUrls('metadefender-core').home);
    await page.locator('.mock-dashboard').waitFor();
    await page.evaluate(() => {
      const anchor = document.createElement('div');
      anchor.id = 'test-anchor';
      anchor.setAttribute('data-keyatlas-anchor', '');
      document.body.append(anchor);
    });
    await page.locator(`#test-anchor > ${BUTTON_HOST}`).waitFor({ state: 'attached' });
    expect(await page.locator(BUTTON_HOST).count()).toBe(1);
    await page.close();
  });

  it('a failing instance shows its error in its own row while the others refresh and export', async () => {
    const failing = fleet.nameOf('metadefender-core');
    fleet.fleet.servers['metadefender-core'].fault({ kind: 'status', status: 500, json: { err: 'Internal server error' } });
    const popup = new PopupPage(await browser.openPage('popup.html'));
    await popup.waitForDashboard();
    const since = new Date();
    await popup.refresh();
    const rows = await popup.waitForRefreshAfter(since, fleet.instanceNames);
    expect(rows.find((r) => r.name === failing)?.error).toMatch(/500/);
    expect(rows.filter((r) => r.name !== failing).map((r) => r.error)).toEqual([null, null, null, null]);
    expect(await popup.page.locator(`[data-testid="instance-row"][data-instance="${failing}"] [data-testid="instance-error"]`).count()).toBe(1);
    expect(await popup.summary()).toEqual(counts(bucketize(expected.records.filter((r) => r.instance !== failing))));

    const result = await popup.exportAll();
    const others = expected.rows.filter((row) => row.instance !== failing);
    expect(result).toContain(`Saved keyatlas-all-${utcDate()}.csv (${others.length} rows)`);
    expect(result).toContain(failing);
    const file = await browser.downloads.next('the partial export');
    expect(parseCsv(file.text)).toEqual(others);
    await popup.screenshot(screenshotPath('chromium-popup-failing-instance'));
    await popup.page.close();
  });

  it('the CLI engine and the popup show the same outcome, coverage and warnings for the same servers; export-evidence saves the CSV and its schema-valid evidence', async () => {
    // A warning on one instance and an incomplete list on another, so "the same" is more than "all ok".
    fleet.fleet.servers['metadefender-core'].fault({ kind: 'status', status: 500, json: { err: 'directory service down' } }, { path: /^\/admin\/userdirectory/ });
    fleet.fleet.servers['metadefender-vault'].fault({ kind: 'status', status: 200, json: { filter_count: 99, items: [] } }, { path: /^\/vault_rest\/tokens/ });
    const cli = await fleet.engine();
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    const engineView = cli.results.map((r) => ({ name: r.instance, outcome: outcomeOf(r.error?.kind, r.warnings), coverage: r.coverage, warnings: r.warnings })).sort(byName);
    expect(engineView.map((r) => r.outcome).sort()).toEqual(['incomplete', 'ok', 'ok', 'ok', 'ok with warnings']);

    const popup = new PopupPage(await browser.openPage('popup.html'));
    await popup.waitForDashboard();
    const startedAt = new Date();
    const result = await popup.exportEvidence();
    const files = [await browser.downloads.next('the evidence export'), await browser.downloads.next('the evidence export')];
    const csv = files.find((f) => f.fileName.endsWith('.csv'))!;
    const json = files.find((f) => f.fileName.endsWith('.evidence.json'))!;
    expectFileName(csv.fileName, 'all', startedAt);
    expect(json.fileName).toBe(csv.fileName.replace(/\.csv$/, '.evidence.json'));
    expect(result).toContain(`Saved ${csv.fileName}`);
    expect(result).toContain(`Evidence saved as ${json.fileName}`);
    // The vault's failure is named; what was read is the engine's file.
    expect(result).toContain(fleet.nameOf('metadefender-vault'));
    expect(parseCsv(csv.text)).toEqual(parseCsv(toCsv(cli.records, { keys: 'masked' })));

    // The export's read is the popup's last refresh: its rows say what the CLI says.
    const rows = await popup.waitForRefreshAfter(startedAt, fleet.instanceNames);
    expect(rows.map(({ name, outcome, coverage, warnings }) => ({ name, outcome, coverage, warnings })).sort(byName)).toEqual(engineView);

    // The evidence: valid against the committed schema, the same per-instance view, vouching for the CSV saved.
    const evidence = JSON.parse(json.text) as Evidence;
    const schema = JSON.parse(readFileSync(new URL('../../keyatlas.evidence.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>;
    expect(validate(schema, evidence)).toEqual([]);
    expect(evidence.instances.map(({ name, outcome, coverage, warnings }) => ({ name, outcome, coverage, warnings })).sort(byName)).toEqual(engineView);
    expect(evidence.file).toEqual({ name: csv.fileName, format: 'csv', sha256: createHash('sha256').update(readFileSync(csv.path)).digest('hex'), rows: parseCsv(csv.text).length });
    for (const secret of secrets) expect(json.text).not.toContain(secret);
    await popup.page.close();
  });

  it('a service worker stopped in the middle of a refresh resumes from its checkpoint and reads only what was left', async () => {
    const vault = fleet.fleet.servers['metadefender-vault'];
    // The first token page hangs long enough for the worker to be stopped while it waits.
    vault.fault({ kind: 'delay', ms: 20_000 }, { path: /^\/vault_rest\/tokens\//, times: 1 });
    const popup = new PopupPage(await browser.openPage('popup.html'));
    await popup.waitForDashboard();
    const since = new Date();
    await popup.refresh();
    await popup.page.getByTestId('refresh-progress').filter({ hasText: '4 of 5 instances read' }).waitFor();
    await until(() => vault.inFlight > 0, 'the vault read to be under way');

    const servers = Object.values(fleet.fleet.servers);
    const before = servers.map((s) => s.requests.length);
    await browser.stopServiceWorker(popup.page);

    // Chrome starts a new worker for the popup's next message; it finds the checkpoint and goes on.
    const rows = await popup.waitForRefreshAfter(since, fleet.instanceNames);
    expect(rows.map((r) => r.error)).toEqual([null, null, null, null, null]);
    const after = servers.map((s) => s.requests.length);
    const grew = servers.filter((_, i) => after[i]! > before[i]!).map((s) => s.name);
    expect(grew).toEqual(['metadefender-vault']);
    expect(await popup.summary()).toEqual(counts(expected.buckets));
    await popup.page.close();
  });

  it('a full-key export is written through a blob URL and erased from the download history: the profile’s History holds none of its keys', async () => {
    const vaultName = fleet.nameOf('metadefender-vault');
    const keys = expected.records.filter((r) => r.instance === vaultName && r.key.length >= 8).map((r) => r.key);
    expect(keys.length).toBeGreaterThan(0);
    const popup = new PopupPage(await browser.openPage('popup.html'));
    // Earlier tests downloaded files of the same name (the console button's masked export): told apart by id.
    const earlier = new Set((await downloadsListed(popup.page)).map((d) => d.id));
    expect(earlier.size).toBeGreaterThan(0);
    const added = async (page: Page) => (await downloadsListed(page)).filter((d) => !earlier.has(d.id));
    await popup.page.locator('select[name="keys"]').selectOption('full');
    // No passphrase is set yet in this session: the export bar says what that means.
    await expect.poll(() => popup.page.locator('.export .warning').textContent()).toContain('No passphrase is set');
    await popup.page.locator(`[data-testid="instance-row"][data-instance="${vaultName}"] .instance-export`).click();
    const file = await browser.downloads.next('the full-key export');
    expect(file.fileName).toMatch(new RegExp(`^keyatlas-${vaultName}-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
    for (const key of keys) expect(file.text).toContain(key);
    // Erased from the browser's download list once saved (the file stays).
    await expect.poll(() => added(popup.page), { timeout: 15_000 }).toEqual([]);
    await popup.page.close();

    // Closed, so Chromium writes out the History database; then the profile is read as a file,
    // every byte of it (a deleted row may linger in a free page).
    expect(browser.takeErrors()).toEqual([]);
    const { extensionId } = browser;
    await browser.close();
    let history: string;
    try {
      history = ['History', 'History-journal', 'History-wal']
        .map((name) => join(root, 'profile', 'Default', name))
        .filter((path) => existsSync(path))
        .map((path) => readFileSync(path).toString('latin1'))
        .join('\n');
    } finally {
      browser = await launch();
    }
    // The masked export of an earlier test is recorded there, under its blob URL: this file is where downloads go.
    expect(history).toContain(`blob:chrome-extension://${extensionId}/`);
    expect(history).not.toContain('data:text/csv');
    for (const key of keys) expect(history).not.toContain(key);
    // What the restarted browser read back from History: the masked export, not the full-key one.
    const page = await browser.openPage('popup.html');
    expect((await downloadsListed(page)).map((d) => d.id).sort()).toEqual([...earlier].sort());
    expect(await added(page)).toEqual([]);
    await page.close();
  });

  it('with a passphrase set, a restarted browser shows the lock until the passphrase is given', async () => {
    const options = new OptionsPage(await browser.openPage('options.html'));
    await options.setPassphrase(PASSPHRASE);
    expect(browser.takeErrors()).toEqual([]);
    await browser.close();
    // The unlocked key lives only in storage.session, which a browser restart empties.
    browser = await launch();

    const popup = new PopupPage(await browser.openPage('popup.html'));
    await popup.waitForLocked();
    expect(await popup.page.getByTestId('summary-expired').count()).toBe(0);
    await popup.screenshot(screenshotPath('chromium-popup-locked'));

    await popup.unlock(PASSPHRASE);
    await popup.waitForDashboard();
    expect(await popup.summary()).toEqual(counts(expected.buckets));
  });
});
