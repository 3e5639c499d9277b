import type { SummaryCounts, InstanceRowView } from '../pages/popup-page';
import { until } from '../support/wait';
import type { FirefoxTab } from './firefox';

/** The popup's automation hooks read in one go (docs/contract.md#test-ids). */
interface PopupView {
  summary: SummaryCounts | null;
  refreshing: boolean;
  rows: InstanceRowView[];
}

const READ_POPUP = `() => {
  const count = (id) => document.querySelector('[data-testid="' + id + '"]')?.textContent;
  const summary = count('summary-expired') === undefined ? null
    : { expired: Number(count('summary-expired')), within7: Number(count('summary-7d')), within30: Number(count('summary-30d')), never: Number(count('summary-never')) };
  return {
    summary,
    refreshing: !!document.querySelector('[data-testid="refresh-progress"]'),
    rows: [...document.querySelectorAll('[data-testid="instance-row"]')].map((row) => ({
      name: row.dataset.instance,
      lastRefresh: row.querySelector('time')?.getAttribute('datetime') ?? null,
      error: row.querySelector('[data-testid="instance-error"]')?.textContent ?? null,
    })),
  };
}`;

/** Reloads the popup until no refresh runs and every named instance was read at or after `since`. */
export function waitForPopupRefreshAfter(popup: FirefoxTab, since: Date, names: readonly string[], timeoutMs = 60_000): Promise<PopupView> {
  return until(
    async () => {
      await popup.reload();
      const view = await popup.waitFor<PopupView>(`async () => { const v = (${READ_POPUP})(); return v.summary ? v : null; }`, 'the popup dashboard');
      const fresh = names.every((name) => {
        const at = view.rows.find((r) => r.name === name)?.lastRefresh;
        return at && Date.parse(at) >= since.getTime() - 1000;
      });
      return !view.refreshing && fresh ? view : undefined;
    },
    `a finished refresh of ${names.join(', ')}`,
    { timeoutMs, everyMs: 250 },
  );
}

/** Chooses a config file in the options page's `import-config` input; resolves with the page's report. */
export async function importConfigFile(options: FirefoxTab, path: string): Promise<string> {
  await options.waitFor(`() => !!document.querySelector('[data-testid="import-config"]')`, 'the import-config input');
  await options.setFiles('[data-testid="import-config"]', [path]);
  return options.waitFor<string>(`() => document.querySelector('[data-testid="import-result"]')?.textContent`, 'the import report');
}

/** The console button's host; its root is closed, so the driver reaches inside through `FirefoxTab.shadowRoot`. */
export const BUTTON_HOST = `() => document.getElementById('keyatlas-export')`;
/** What a page script sees of the button's root. */
export const PAGE_SEES_ROOT = `() => document.getElementById('keyatlas-export').shadowRoot !== null`;
export const BUTTON_IN_ROOT = `(root) => root.querySelector('button')`;
export const BUTTON_STATUS = `(root) => root.querySelector('.status[data-kind="done"], .status[data-kind="error"]')?.textContent`;
export const BUTTON_COUNT = `() => document.querySelectorAll('#keyatlas-export').length`;

/**
 * Logs `console.error(marker)` in `doc` and adds an inline script reading `// marker`, which the
 * extension CSP (`script-src 'self'`) blocks and reports, naming the script's hash. Returns the
 * document's address, as the error collector names it.
 */
const PLANT_ERRORS = `(doc, marker) => {
  doc.defaultView.console.error(marker);
  const script = doc.createElement('script');
  script.textContent = '// ' + marker;
  doc.head.append(script);
  return doc.location.href;
}`;
/** `PLANT_ERRORS` in the tab's own extension page. */
export const PLANT_ERRORS_IN_PAGE = `async (marker) => (${PLANT_ERRORS})(document, marker)`;
/** `PLANT_ERRORS` in the event page, reached from an extension page (and woken if suspended). */
export const PLANT_ERRORS_IN_EVENT_PAGE = `async (marker) => (${PLANT_ERRORS})((await browser.runtime.getBackgroundPage()).document, marker)`;
