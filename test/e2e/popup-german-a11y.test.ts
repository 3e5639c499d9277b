import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testExtensionDir } from '../../scripts/build-test-extension';
import { ConsolePage } from './pages/console-page';
import { OptionsPage } from './pages/options-page';
import { PopupPage } from './pages/popup-page';
import { axeViolations } from './support/axe';
import { requireBrowser, skipWithout } from './support/browsers';
import { launchChromium, type ExtensionBrowser } from './support/chromium';
import { parseCsv, startBrowserFleet, utcDate, type BrowserFleet } from './support/fleet';
import { brokenWords, otherScrollers, overflowing, touchingLabels, verticalBoxes } from './support/layout';
import { screenshotPath } from './support/screenshots';

/** What has keyboard focus, and whether the page shows it (docs/contract.md#languages-and-accessibility: the popup works by keyboard alone). */
function focused(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    return {
      testId: el.getAttribute('data-testid'),
      name: el.getAttribute('aria-label') ?? el.textContent?.trim() ?? '',
      shown: el.matches(':focus-visible') && getComputedStyle(el).outlineStyle !== 'none',
    };
  });
}

/**
 * docs/contract.md#languages-and-accessibility, in a real Chromium whose language is German (`--lang=de` and a German page
 * locale, as a German profile has): the popup's texts come from `_locales/de`, dates and numbers from
 * `Intl` in German; axe-core finds nothing on the popup with data (light and dark, with a failing
 * instance); and a keyboard alone reaches every control and exports.
 */
describe.skipIf(skipWithout('chromium'))('the popup in German, accessible, by keyboard (real Chromium)', () => {
  let fleet: BrowserFleet;
  let root: string;
  let browser: ExtensionBrowser;
  let popup: PopupPage;

  beforeAll(async () => {
    const executablePath = requireBrowser('chromium');
    fleet = await startBrowserFleet();
    root = mkdtempSync(join(tmpdir(), 'keyatlas-e2e-german-'));
    browser = await launchChromium({
      executablePath,
      extensionDir: testExtensionDir('chrome'),
      userDataDir: join(root, 'profile'),
      downloadDir: join(root, 'downloads'),
      language: 'de',
    });
    const options = new OptionsPage(await browser.openPage('options.html'));
    const since = new Date();
    await options.importConfig(fleet.browserConfig);
    await options.page.close();
    popup = new PopupPage(await browser.openPage('popup.html'));
    await popup.waitForRefreshAfter(since, fleet.instanceNames);
  });

  afterAll(async () => {
    await browser?.close();
    await fleet?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('imports, refreshes and shows German labels, a German date format and German numbers', async () => {
    const page = popup.page;
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('de');
    expect((await page.getByTestId('refresh').textContent())?.trim()).toBe('Aktualisieren');
    expect((await page.getByTestId('export-all').textContent())?.trim()).toBe('CSV exportieren');
    expect(await page.locator('.summary-label').allTextContents()).toEqual(['Abgelaufen', '≤ 7 Tage', '8–30 Tage', 'Später', 'Unbefristet']);
    expect(await page.locator('.key-table th').allTextContents()).toEqual(['Läuft ab', 'Inhaber und Schlüssel', 'Instanz']);
    expect(await page.locator('.filter').allTextContents()).toEqual(['7 Tage', '30 Tage', '60 Tage', '90 Tage', 'Alle']);
    // The mocks hold expired keys: the list starts with them.
    expect((await page.locator('[data-testid="key-row"] .key-days').first().textContent())?.trim()).toBe('Abgelaufen');

    const row = page.locator('[data-testid="instance-row"]').first();
    const time = row.locator('time');
    expect(await time.getAttribute('title')).toMatch(/^\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}$/);
    expect((await time.textContent())?.trim()).toMatch(/^(gerade eben|vor \d+ Minuten?)$/);
    // The coverage in German; its English value stays in data-coverage for automation.
    expect(await row.locator('.instance-meta').textContent()).toMatch(
      /^✓Vollständig(gerade eben|vor \d+ Minuten?)Abdeckung: (alle Benutzer|Mandant|eigene \+ System-Tokens|eigener Schlüssel|dieser Schlüssel)\d+ Schlüssel(\d+ abgelaufen)?(\d+ innerhalb von 7 Tagen)?$/,
    );
    expect(await row.getByTestId('instance-coverage').getAttribute('data-coverage')).toMatch(/^(all users|tenant|own \+ system-level tokens|own key|this key)$/);
    const name = (await row.getAttribute('data-instance'))!;
    expect(await row.locator('button.instance-export').getAttribute('aria-label')).toBe(`Schlüssel von ${name} als CSV exportieren`);
    // Timeline week labels: German short dates ("Woche 1 (29. Nov.)"), under the axis too.
    expect(await page.locator('.timeline table tbody th').nth(1).textContent()).toMatch(/^Woche 1 \(\d{1,2}\. \S+\)$/);
    expect(await page.locator('.timeline-tick').first().textContent()).toMatch(/^\d{1,2}\. \S+$/);
  });

  // docs/design.md, measured on the German strings, which run longest; the screenshots go to docs/screens/.
  it('is laid out as designed: health above the keys, one scroll container, no word cut or broken, in light and dark', async () => {
    const page = popup.page;
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.evaluate(() => (document.querySelector('main.popup') as HTMLElement).scrollTo(0, 0));
      const boxes = await verticalBoxes(page, { verdict: '[data-testid="health-verdict"]', rows: '.instances', summary: '.summary', keys: '.key-table' });
      expect(boxes.verdict.bottom).toBeLessThanOrEqual(boxes.rows.top);
      expect(boxes.rows.bottom).toBeLessThanOrEqual(boxes.summary.top);
      expect(boxes.summary.bottom).toBeLessThan(boxes.keys.top);
      expect(await brokenWords(page)).toEqual([]);
      expect(await otherScrollers(page, 'main.popup')).toEqual([]);
      expect(await overflowing(page, 'main.popup')).toEqual([]);
      await popup.screenshot(screenshotPath(`chromium-de-popup-${scheme}`));
    }
    await page.emulateMedia({ colorScheme: 'light' });

    const options = await browser.openPage('options.html');
    await options.locator('.instance-item').first().waitFor();
    for (const scheme of ['light', 'dark'] as const) {
      await options.emulateMedia({ colorScheme: scheme });
      expect(await touchingLabels(options)).toEqual([]);
      expect(await brokenWords(options, ['.instance-name', 'label', '.button'])).toEqual([]);
      await options.screenshot({ path: screenshotPath(`chromium-de-options-${scheme}`), fullPage: true });
    }
    await options.close();

    const console = new ConsolePage(await browser.context.newPage());
    await console.openKeysPage(fleet.consoleUrls('metadefender-core'));
    await console.page.screenshot({ path: screenshotPath('chromium-de-console'), clip: { x: 0, y: 0, width: 1000, height: 420 } });
    await console.page.close();
  });

  it('owner marks, the rotation policy, its chip and count in German; axe-core finds nothing with the rotate filter on', async () => {
    const page = popup.page;
    // The chip's visible word; the last login follows it as text for screen readers.
    const states = await page.locator('[data-testid="owner-state"]').evaluateAll((marks) => marks.map((m) => m.firstChild?.textContent));
    expect(new Set(states)).toEqual(new Set(['aktiv', 'inaktiv', 'verwaist']));
    const titles = await page.locator('[data-testid="owner-state"]').evaluateAll((marks) => marks.map((m) => m.getAttribute('title')));
    expect(titles).toContainEqual(expect.stringMatching(/^Besitzer aktiv: .* · letzte Anmeldung \d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}$/));
    expect(titles).toContainEqual(expect.stringMatching(/^Besitzer inaktiv: .* · nie angemeldet$/));
    expect(titles).toContainEqual(expect.stringMatching(/^Besitzer nicht gefunden: /));
    expect(await page.getByTestId('instance-orphaned').first().textContent()).toMatch(/^\d+ verwaiste? Schlüssel$/);

    const options = await browser.openPage('options.html');
    expect(await options.locator('label[for="setting-max-key-age"]').textContent()).toBe('Schlüssel rotieren, die älter sind als (Tage)');
    await options.getByTestId('max-key-age').fill('100');
    await options.getByTestId('max-key-age').press('Tab');
    await options.getByText('Einstellungen gespeichert.').waitFor();
    expect(await axeViolations(options)).toEqual([]);
    await options.close();

    await page.reload();
    await page.getByTestId('filter-rotate').click();
    expect(await page.getByTestId('filter-rotate').textContent()).toBe('rotieren');
    expect(await page.getByTestId('filter-rotate').getAttribute('title')).toBe('Schlüssel älter als 100 Tage (Rotationsrichtlinie)');
    expect(await page.locator('.summary-rotate-label').textContent()).toBe('zur Rotation fällig');
    await page.getByTestId('key-rotate').first().waitFor();
    expect(await page.getByTestId('key-rotate').first().getAttribute('title')).toMatch(/^\d+ Tage alt: älter als die Rotationsrichtlinie \(100 Tage\)$/);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Alle', exact: true }).click();
  });

  it('axe-core finds no violation on the popup with data, in light and dark, with a failing instance', async () => {
    const page = popup.page;
    expect(await axeViolations(page)).toEqual([]);

    const failing = fleet.nameOf('metadefender-core');
    fleet.fleet.servers['metadefender-core'].fault({ kind: 'status', status: 500, json: { err: 'Internal server error' } });
    try {
      const since = new Date();
      await popup.refresh();
      await popup.waitForRefreshAfter(since, fleet.instanceNames);
    } finally {
      fleet.fleet.servers['metadefender-core'].clearFaults();
    }
    const row = page.locator(`[data-testid="instance-row"][data-instance="${failing}"]`);
    // The kind of failure in German, the engine's English detail below it, marked English.
    expect(await row.locator('.error-headline').textContent()).toBe('Der Server hat mit einem Fehler geantwortet');
    expect(await row.getByTestId('instance-error').getAttribute('lang')).toBe('en');
    expect(await axeViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await axeViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('Tab reaches every control with a visible focus, Shift+Tab goes back, Enter on "CSV exportieren" downloads the file', async () => {
    const page = await browser.openPage('popup.html');
    await new PopupPage(page).waitForDashboard();
    const controls = await page.evaluate(() => document.querySelectorAll('button:not([disabled]), a[href], input, select, [tabindex="0"]').length);

    const forward: string[] = [];
    for (let press = 0; press <= controls; press++) {
      await page.keyboard.press('Tab');
      const now = await focused(page);
      if (!now) break;
      expect(now.shown, `focus ring on ${now.name}`).toBe(true);
      forward.push(now.testId ?? now.name);
    }
    // Every control once, in order, then out of the page.
    expect(forward).toHaveLength(controls);
    expect(new Set(forward).size).toBeGreaterThan(controls / 2);
    for (const id of ['refresh', 'export-all', 'key-search', 'open-console']) expect(forward).toContain(id);

    // Back from the end to the export button.
    let back = 0;
    for (let now = await focused(page); now?.testId !== 'export-all'; now = await focused(page)) {
      await page.keyboard.press('Shift+Tab');
      expect(++back).toBeLessThanOrEqual(controls);
    }
    expect(forward[controls - back]).toBe('export-all');

    await page.keyboard.press('Enter');
    const file = await browser.downloads.next('the export started with Enter');
    expect(file.fileName).toBe(`keyatlas-all-${utcDate()}.csv`);
    const rows = parseCsv(file.text);
    expect(rows.length).toBeGreaterThan(0);
    // The result is announced: it sits in a live region, in German.
    const result = page.locator('[role="status"] [data-testid="export-result"]');
    await result.waitFor();
    expect(await result.textContent()).toBe(`keyatlas-all-${utcDate()}.csv gespeichert (${rows.length} Zeilen)`);
    await page.close();
  });
});
