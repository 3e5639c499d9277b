import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DownloadFolder } from '../support/downloads';
import { XSOAR_TENANT } from '../support/fleet';
import { until } from '../support/wait';
import { BidiConnection } from './bidi';
import { AddonDebugger, freePort } from './rdp';

export interface FirefoxOptions {
  executablePath: string;
  extensionDir: string;
  /** The add-on id from the manifest (`browser_specific_settings.gecko.id`). */
  extensionId: string;
  profileDir: string;
  downloadDir: string;
}

type RemoteValue = { type: string; value?: unknown; sharedId?: string };
/** A node in the page, as BiDi refers to it across calls. */
export type NodeHandle = { sharedId: string };
type Argument = string | number | boolean | NodeHandle;
type LogEntry = { level: string; text: string | null; stackTrace?: { callFrames: { url: string }[] } };
type EvaluateResult = { type: 'success'; result: RemoteValue } | { type: 'exception'; exceptionDetails: { text: string } };

/**
 * Headless Firefox driven over WebDriver BiDi, with the test build installed as a temporary
 * add-on. The add-on's moz-extension UUID is chosen up front through the profile's
 * `extensions.webextensions.uuids`, which Firefox honours at install, so its pages have a known address.
 */
export class Firefox {
  readonly downloads: DownloadFolder;

  private constructor(
    private readonly process: ChildProcess,
    private readonly bidi: BidiConnection,
    private readonly addon: AddonDebugger,
    private readonly errors: string[],
    readonly extensionBase: string,
    downloadDir: string,
  ) {
    this.downloads = new DownloadFolder(downloadDir);
    // A web tab's entries: the add-on's when its stack runs through the add-on's files (a content script).
    bidi.on<LogEntry>('log.entryAdded', (entry) => {
      const url = entry.stackTrace?.callFrames.map((f) => f.url).find((u) => u.startsWith(extensionBase));
      if (entry.level === 'error' && url) this.errors.push(`${url}: ${entry.text}`);
    });
  }

  /**
   * Console errors, uncaught exceptions and CSP violations since the last call: the add-on's own
   * documents (event page, popup, options) through the debugger's watcher (`AddonDebugger`), its
   * content scripts in web tabs through BiDi `log.entryAdded`, which Firefox 140 ESR sends for
   * those but not for moz-extension documents.
   */
  async takeErrors(): Promise<string[]> {
    await this.addon.flush();
    return this.errors.splice(0);
  }

  static async launch({ executablePath, extensionDir, extensionId, profileDir, downloadDir }: FirefoxOptions): Promise<Firefox> {
    const uuid = randomUUID();
    const debuggerPort = await freePort();
    mkdirSync(profileDir, { recursive: true });
    mkdirSync(downloadDir, { recursive: true });
    writeProfilePrefs(profileDir, {
      'extensions.webextensions.uuids': JSON.stringify({ [extensionId]: uuid }),
      // Downloads go straight into this folder under the add-on's file name, no dialog (docs/contract.md#test-hooks).
      'browser.download.dir': downloadDir,
      'browser.download.folderList': 2,
      'browser.download.useDownloadDir': true,
      'browser.download.always_ask_before_handling_new_types': false,
      // Firefox has no host-resolver rules; these names resolve to the local machine instead.
      'network.dns.localDomains': [XSOAR_TENANT, `api-${XSOAR_TENANT}`].join(','),
      // The debugger server (local only) lets the tests stop the event page and hear its console; no prompt on connect.
      'devtools.debugger.remote-enabled': true,
      'devtools.chrome.enabled': true,
      'devtools.debugger.prompt-connection': false,
      // Notifications in Firefox's own alert window. Its system backend (libnotify, which Debian
      // installs with Chromium's recommended notification-daemon) needs a desktop session's D-Bus
      // notification server; headless there is none, and `notifications.getAll()` never lists the
      // notification. Without libnotify Firefox falls back to its alert window anyway: this makes
      // every machine behave the same.
      'alerts.useSystemBackend': false,
    });
    // --remote-allow-system-access: BiDi refuses to open moz-extension:// pages without it.
    const child = spawn(executablePath, ['--headless', '--no-remote', '--remote-debugging-port=0', '--remote-allow-system-access', '--start-debugger-server', String(debuggerPort), '--profile', profileDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, MOZ_CRASHREPORTER_DISABLE: '1' },
    });
    try {
      const endpoint = await bidiEndpoint(child);
      const bidi = await BidiConnection.connect(`${endpoint}/session`);
      await bidi.send('session.new', { capabilities: {} });
      await bidi.send('session.subscribe', { events: ['log.entryAdded'] });
      const { extension } = await bidi.send<{ extension: string }>('webExtension.install', { extensionData: { type: 'path', path: extensionDir } });
      if (extension !== extensionId) throw new Error(`installed ${extension}, expected ${extensionId}`);
      const errors: string[] = [];
      const addon = await AddonDebugger.attach(debuggerPort, extensionId, (error) => errors.push(error));
      return new Firefox(child, bidi, addon, errors, `moz-extension://${uuid}/`, downloadDir);
    } catch (error) {
      child.kill();
      throw error;
    }
  }

  /** A new tab, optionally opened on an extension page (`popup.html`, `options.html`) or any URL. */
  async newTab(url?: string): Promise<FirefoxTab> {
    const { context } = await this.bidi.send<{ context: string }>('browsingContext.create', { type: 'tab' });
    const tab = new FirefoxTab(this.bidi, context);
    if (url) await tab.goto(/^[a-z-]+:/.test(url) ? url : this.extensionBase + url);
    return tab;
  }

  /**
   * Suspends the add-on's event page as Firefox does when it is idle (about:debugging's
   * "Terminate background script"); the next event wakes it again.
   */
  suspendBackground(): Promise<void> {
    return this.addon.terminateBackground();
  }

  async close(): Promise<void> {
    const gone = () => this.process.exitCode !== null || this.process.signalCode !== null;
    const exited = new Promise<void>((resolve) => (gone() ? resolve() : this.process.once('exit', () => resolve())));
    this.addon.close();
    await this.bidi.send('browser.close').catch(() => undefined);
    this.bidi.close();
    const killer = setTimeout(() => this.process.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(killer);
  }
}

/** One tab; every DOM read goes through `evaluate` with a function source run in the page. */
export class FirefoxTab {
  constructor(
    private readonly bidi: BidiConnection,
    readonly context: string,
  ) {}

  async goto(url: string): Promise<void> {
    await this.bidi.send('browsingContext.navigate', { context: this.context, url, wait: 'complete' });
  }

  async reload(): Promise<void> {
    await this.bidi.send('browsingContext.reload', { context: this.context, wait: 'complete' });
  }

  /** Runs `fn` (function source, may be async) in the page and returns its JSON-able result. */
  async evaluate<T>(fn: string, ...args: Argument[]): Promise<T> {
    const reply = await this.bidi.send<EvaluateResult>('script.callFunction', {
      functionDeclaration: `async (...args) => JSON.stringify(await (${fn})(...args))`,
      arguments: args.map(toArgument),
      target: { context: this.context },
      awaitPromise: true,
    });
    if (reply.type === 'exception') throw new Error(`in the page: ${reply.exceptionDetails.text}`);
    const json = reply.result.value;
    return (json === undefined ? undefined : JSON.parse(String(json))) as T;
  }

  /** Polls `fn` in the page until it returns something truthy. */
  waitFor<T>(fn: string, what: string, timeoutMs = 30_000): Promise<NonNullable<T>> {
    return until(() => this.evaluate<T>(fn), what, { timeoutMs });
  }

  /** Chooses files in a file input (as the user's file picker would). */
  async setFiles(selector: string, files: string[]): Promise<void> {
    await this.bidi.send('input.setFiles', { context: this.context, element: await this.element(`() => document.querySelector(${JSON.stringify(selector)})`), files });
  }

  /** A real pointer click (mouse down/up) in the middle of the element that `find` returns (given `args`). */
  async click(find: string, ...args: Argument[]): Promise<void> {
    const element = await this.element(find, args);
    // As WebDriver's element click does (BiDi pointer actions do not): a control below the fold is scrolled to first.
    await this.call('(element) => element.scrollIntoView({ block: "center" })', [element]);
    await this.bidi.send('input.performActions', {
      context: this.context,
      actions: [
        {
          type: 'pointer',
          id: 'mouse',
          parameters: { pointerType: 'mouse' },
          actions: [
            { type: 'pointerMove', x: 0, y: 0, origin: { type: 'element', element } },
            { type: 'pointerDown', button: 0 },
            { type: 'pointerUp', button: 0 },
          ],
        },
      ],
    });
    await this.bidi.send('input.releaseActions', { context: this.context });
  }

  async screenshot(path: string, find?: string): Promise<void> {
    const clip = find ? { clip: { type: 'element', element: await this.element(find) } } : {};
    const { data } = await this.bidi.send<{ data: string }>('browsingContext.captureScreenshot', { context: this.context, ...clip });
    writeFileSync(path, Buffer.from(data, 'base64'));
  }

  async close(): Promise<void> {
    await this.bidi.send('browsingContext.close', { context: this.context });
  }

  /**
   * The shadow root of the element `find` returns, a closed one too: BiDi serializes every root for
   * the driver, while a page script gets null for a closed one. Undefined while there is none.
   */
  async shadowRoot(find: string): Promise<NodeHandle | undefined> {
    const node = await this.call(find, []);
    const root = (node.value as { shadowRoot?: RemoteValue | null } | undefined)?.shadowRoot;
    return root?.sharedId ? { sharedId: root.sharedId } : undefined;
  }

  private async element(find: string, args: Argument[] = []): Promise<NodeHandle> {
    const { sharedId } = await this.call(find, args);
    if (!sharedId) throw new Error(`no element for ${find}`);
    return { sharedId };
  }

  private async call(fn: string, args: Argument[]): Promise<RemoteValue> {
    const reply = await this.bidi.send<EvaluateResult>('script.callFunction', {
      functionDeclaration: fn,
      arguments: args.map(toArgument),
      target: { context: this.context },
      awaitPromise: true,
    });
    if (reply.type === 'exception') throw new Error(`in the page: ${reply.exceptionDetails.text}`);
    return reply.result;
  }
}

function toArgument(value: Argument): Record<string, unknown> {
  return typeof value === 'object' ? value : { type: typeof value, value };
}

function writeProfilePrefs(profileDir: string, prefs: Record<string, string | number | boolean>): void {
  const lines = Object.entries(prefs).map(([name, value]) => `user_pref(${JSON.stringify(name)}, ${JSON.stringify(value)});`);
  writeFileSync(join(profileDir, 'user.js'), `${lines.join('\n')}\n`);
}

/** Firefox prints `WebDriver BiDi listening on ws://…` once its remote agent is up. */
function bidiEndpoint(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    // Read to the end, always: a full pipe would block Firefox. Only the tail is kept, for errors.
    let output = '';
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
      const match = /WebDriver BiDi listening on (ws:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stderr?.on('data', onData);
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`Firefox exited (${code}) before its remote agent started:\n${output}`)));
    child.once('error', reject);
  });
}
