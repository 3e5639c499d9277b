import { createHash } from 'node:crypto';
import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext, type CDPSession, type Page, type Worker } from 'playwright-core';
import { DownloadFolder } from './downloads';
import { HOST_RESOLVER_RULES } from './fleet';
import { until } from './wait';

export interface ChromiumOptions {
  executablePath: string;
  /** The unpacked test build (scripts/build-test-extension.ts). */
  extensionDir: string;
  /** A profile folder; launching again on the same one is a browser restart. */
  userDataDir: string;
  downloadDir: string;
  headless?: boolean;
  /** Whether Playwright closes the browser and exits on Ctrl+C (default); the demo handles it itself. */
  handleSignals?: boolean;
  /**
   * The browser's language, e.g. `de`. Headless Chromium on Linux takes the extension's `_locales`
   * from `--lang` (the LANGUAGE variable changes nothing there); `chrome.i18n.getUILanguage()` and
   * `Intl` follow the page locale, which Playwright sets (to en-US unless told): both, as a German profile has.
   */
  language?: string;
}

export interface ExtensionBrowser {
  context: BrowserContext;
  extensionId: string;
  downloads: DownloadFolder;
  /** A tab on one of the extension's pages (`popup.html` is opened as a tab, as tests do). */
  openPage(path: 'popup.html' | 'options.html'): Promise<Page>;
  /** The background service worker, waiting for Chrome to start it if it is not running. */
  worker(): Promise<Worker>;
  /** Stops every service worker as Chrome does to an idle one, and resolves once it is stopped. */
  stopServiceWorker(page: Page): Promise<void>;
  /**
   * Console errors, uncaught exceptions and CSP violations from the extension's pages, its service
   * worker and its content scripts since the last call, each as `<page or worker URL>: <text>`
   * (with the script's address in brackets when it is another one, as for a content script).
   */
  takeErrors(): string[];
  close(): Promise<void>;
}

/** Headless Chromium (its new headless mode runs extensions) with the KeyAtlas test build loaded. */
export async function launchChromium(options: ChromiumOptions): Promise<ExtensionBrowser> {
  const { executablePath, extensionDir, userDataDir, downloadDir, headless = true, handleSignals = true, language } = options;
  writeDownloadPreferences(userDataDir, downloadDir);
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless,
    handleSIGINT: handleSignals,
    handleSIGTERM: handleSignals,
    viewport: headless ? { width: 1000, height: 760 } : null,
    ...(language && { locale: language }),
    args: [
      ...(language ? [`--lang=${language}`] : []),
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--host-resolver-rules=${HOST_RESOLVER_RULES}`,
    ],
  });
  try {
    // Playwright denies or renames downloads by default; extension downloads are not tied to any
    // page, so Playwright would not report them anyway. The browser's own behaviour saves them
    // under the extension's file name in the folder the preferences name.
    const browserSession = await context.browser()!.newBrowserCDPSession();
    await browserSession.send('Browser.setDownloadBehavior', { behavior: 'default' });
    // Known before any worker runs: after a restart Chrome starts the worker only for an event.
    const extensionId = unpackedExtensionId(extensionDir);
    const errors = await collectErrors(context, browserSession, `chrome-extension://${extensionId}/`);

    return {
      context,
      extensionId,
      downloads: new DownloadFolder(downloadDir),
      async openPage(path) {
        const page = await context.newPage();
        // Right after start-up the extension may still be loading: its pages fail to open until then.
        await until(
          () => page.goto(`chrome-extension://${extensionId}/${path}`).then(() => true),
          `chrome-extension://${extensionId}/${path} to open`,
          { timeoutMs: 15_000, everyMs: 200 },
        );
        return page;
      },
      async worker() {
        const running = () => context.serviceWorkers().find((w) => w.url().startsWith(`chrome-extension://${extensionId}/`));
        return running() ?? (await context.waitForEvent('serviceworker', { timeout: 30_000 }));
      },
      async stopServiceWorker(page) {
        const session = await context.newCDPSession(page);
        try {
          const stopped = workerStopped(session, extensionId);
          await session.send('ServiceWorker.enable');
          await session.send('ServiceWorker.stopAllWorkers');
          await stopped;
        } finally {
          await session.detach().catch(() => undefined);
        }
      },
      takeErrors: () => errors.splice(0),
      close: () => context.close(),
    };
  } catch (error) {
    await context.close();
    throw error;
  }
}

async function collectErrors(context: BrowserContext, browserSession: CDPSession, origin: string): Promise<string[]> {
  const errors: string[] = [];
  const ours = (...urls: (string | undefined)[]) => urls.some((url) => url?.startsWith(origin));
  const report = (source: string, script: string | undefined, text: string) => errors.push(`${script && script !== source ? `${source} (${script})` : source}: ${text}`);
  // Playwright relays the service worker's console here too: a listener on the worker as well heard each message twice.
  context.on('console', (message) => {
    const source = message.page()?.url() ?? message.worker()?.url() ?? '';
    const script = message.location().url;
    if (message.type() === 'error' && ours(source, script)) report(source, script, message.text());
  });
  context.on('weberror', (error) => {
    const source = error.page()?.url();
    if (ours(source)) report(source!, undefined, `Uncaught ${String(error.error())}`);
  });
  await watchTargets(browserSession, origin, (source, text) => report(source, undefined, text));
  return errors;
}

type TargetEvent =
  | { method: 'Runtime.exceptionThrown'; params: { exceptionDetails: { text: string; exception?: { description?: string } } } }
  | { method: 'Log.entryAdded'; params: { entry: { level: string; text: string } } }
  | {
      method: 'Audits.issueAdded';
      params: { issue: { details: { contentSecurityPolicyIssueDetails?: { contentSecurityPolicyViolationType: string; violatedDirective: string } } } };
    };

/**
 * Hears what Playwright does not relay, through a DevTools session of our own on every tab (each
 * opens on about:blank before it goes to an extension page) and the service worker. Of a service
 * worker Playwright relays console calls only, not its uncaught exceptions nor what Chromium logs
 * there itself (a blocked `importScripts`). And a blocked `eval` or `new Function` logs nothing
 * anywhere: it throws an EvalError, which a probe such as zod's catches, and Chromium files a
 * DevTools issue. Playwright's CDPSession cannot address a child session, hence the browser
 * session's (non-flat) `sendMessageToTarget`.
 */
async function watchTargets(browserSession: CDPSession, origin: string, report: (source: string, text: string) => void): Promise<void> {
  // Whether an event is ours is decided by the target's address when it comes.
  const urls = new Map<string, string>();
  const targetOf = new Map<string, string>();
  const attach = async (targetId: string, domains: string[]) => {
    const { sessionId } = await browserSession.send('Target.attachToTarget', { targetId, flatten: false });
    targetOf.set(sessionId, targetId);
    for (const [i, domain] of domains.entries()) {
      await browserSession.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: i + 1, method: `${domain}.enable` }) });
    }
  };
  browserSession.on('Target.targetCreated', ({ targetInfo: { targetId, type, url } }) => {
    urls.set(targetId, url);
    const domains = type === 'page' ? ['Audits'] : type === 'service_worker' && url.startsWith(origin) ? ['Audits', 'Runtime', 'Log'] : [];
    // A target closed before the attach answers has nothing left to report.
    if (domains.length) attach(targetId, domains).catch(() => undefined);
  });
  browserSession.on('Target.targetInfoChanged', ({ targetInfo: { targetId, url } }) => urls.set(targetId, url));
  browserSession.on('Target.targetDestroyed', ({ targetId }) => urls.delete(targetId));
  browserSession.on('Target.detachedFromTarget', ({ sessionId }) => targetOf.delete(sessionId!));
  browserSession.on('Target.receivedMessageFromTarget', ({ sessionId, message }) => {
    const source = urls.get(targetOf.get(sessionId) ?? '');
    if (!source?.startsWith(origin)) return;
    const event = JSON.parse(message) as TargetEvent;
    if (event.method === 'Runtime.exceptionThrown') {
      const { text, exception } = event.params.exceptionDetails;
      report(source, `${text} ${exception?.description?.split('\n')[0] ?? ''}`.trim());
    } else if (event.method === 'Log.entryAdded') {
      const { level, text } = event.params.entry;
      if (level === 'error') report(source, text);
    } else if (event.method === 'Audits.issueAdded') {
      // Chromium files every CSP violation as an issue; all but a blocked eval it also logs on the console.
      const csp = event.params.issue.details.contentSecurityPolicyIssueDetails;
      if (csp?.contentSecurityPolicyViolationType === 'kEvalViolation') report(source, `Content Security Policy directive '${csp.violatedDirective}' blocked eval`);
    }
  });
  await browserSession.send('Target.setDiscoverTargets', { discover: true });
}

/** Chrome's id for an unpacked extension: the SHA-256 of its absolute path, first 32 hex digits spelt a–p. */
export function unpackedExtensionId(dir: string): string {
  const hex = createHash('sha256').update(realpathSync(dir)).digest('hex').slice(0, 32);
  return [...hex].map((digit) => String.fromCharCode(97 + Number.parseInt(digit, 16))).join('');
}

/** Chromium reads the downloads folder from the profile, as for a user who chose one and "don't ask". */
function writeDownloadPreferences(userDataDir: string, downloadDir: string): void {
  mkdirSync(join(userDataDir, 'Default'), { recursive: true });
  mkdirSync(downloadDir, { recursive: true });
  const preferences = { download: { default_directory: downloadDir, prompt_for_download: false, directory_upgrade: true } };
  writeFileSync(join(userDataDir, 'Default', 'Preferences'), JSON.stringify(preferences));
}

type VersionEvent = { versions: { scriptURL: string; runningStatus: string }[] };

function workerStopped(session: CDPSession, extensionId: string): Promise<void> {
  return new Promise((resolve) => {
    const onVersion = ({ versions }: VersionEvent) => {
      const ours = versions.filter((v) => v.scriptURL.startsWith(`chrome-extension://${extensionId}/`));
      if (ours.length && ours.every((v) => v.runningStatus === 'stopped')) {
        session.off('ServiceWorker.workerVersionUpdated', onVersion);
        resolve();
      }
    };
    session.on('ServiceWorker.workerVersionUpdated', onVersion);
  });
}
