/**
 * @vitest-environment happy-dom
 * @vitest-environment-options {"settings": {"disableCSSFileLoading": true, "disableJavaScriptFileLoading": true, "handleDisabledFileLoadingAsSuccess": true, "navigation": {"disableMainFrameNavigation": true, "disableChildPageNavigation": true}}}
 */
// Fixture pages link stylesheets on invented hosts: happy-dom must not try to fetch them.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Window as HappyDomWindow } from 'happy-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ContentScriptContext } from 'wxt/utils/content-script-context';
import { onMessage, sendMessage } from '../../ext/messaging';
import { consoles, findAnchor } from '../../lib/consoles';
import type { ConsoleExportReply, ConsoleInfoReply, ConsoleProgress } from '../../lib/messages';
import { HOST_ID, startConsoleButton } from './button';

vi.mock('../../ext/messaging', () => ({ sendMessage: vi.fn(), onMessage: vi.fn() }));

const fixturesDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../lib/consoles/fixtures');
const CORE_USERS = 'https://core.example:8008/#/user-management/users';
const configured: ConsoleInfoReply = { instance: 'core-prod', vendor: 'metadefender-core', credential: 'apiKey' };

/** The background side, as the content script sees it through ext/messaging. */
let info: ConsoleInfoReply | Error;
let exportReply: Promise<ConsoleExportReply>;
let progressListener: ((message: { data: ConsoleProgress }) => void) | undefined;
let sessionListener: (() => Promise<void>) | undefined;
let contexts: ContentScriptContext[];

beforeEach(() => {
  const attachShadow = Element.prototype.attachShadow;
  vi.spyOn(Element.prototype, 'attachShadow').mockImplementation(function (this: Element, init: ShadowRootInit) {
    const root = attachShadow.call(this, init);
    roots.set(this, root);
    return root;
  });
  contexts = [];
  info = configured;
  exportReply = new Promise(() => {});
  progressListener = undefined;
  sessionListener = undefined;
  vi.mocked(sendMessage).mockReset();
  vi.mocked(sendMessage).mockImplementation((async (type: string) => {
    if (type === 'console:info') {
      if (info instanceof Error) throw info;
      return info;
    }
    if (type === 'console:export') return exportReply;
    if (type === 'console:options') return undefined;
    throw new Error(`unexpected message ${type}`);
  }) as typeof sendMessage);
  vi.mocked(onMessage).mockReset();
  vi.mocked(onMessage).mockImplementation(((type: string, listener: never) => {
    if (type === 'console:progress') progressListener = listener;
    if (type === 'console:session') sessionListener = listener;
    return () => {
      if (type === 'console:progress') progressListener = undefined;
      if (type === 'console:session') sessionListener = undefined;
    };
  }) as typeof onMessage);
});

afterEach(() => {
  vi.useRealTimers();
  for (const ctx of contexts) ctx.abort('test over');
  document.body.replaceChildren();
  vi.restoreAllMocks();
});

function visit(url: string, bodyHtml = '') {
  (window as unknown as HappyDomWindow).happyDOM.setURL(url);
  document.body.innerHTML = bodyHtml;
}

function fixtureBody(fileName: string): string {
  const html = readFileSync(resolve(fixturesDir, fileName), 'utf8');
  return new DOMParser().parseFromString(html, 'text/html').body.innerHTML;
}

async function start(floatAfterMs = 60_000, name = 'content') {
  const ctx = new ContentScriptContext(name);
  contexts.push(ctx);
  await startConsoleButton(ctx, { floatAfterMs });
  return ctx;
}

const hosts = () => document.querySelectorAll(`#${HOST_ID}`);
const host = () => document.getElementById(HOST_ID);
/**
 * The button's root is closed, so `host.shadowRoot` is null here as for the page. The test keeps
 * its own handle by watching `attachShadow` (test code only: the production bundle has none).
 */
const roots = new WeakMap<Element, ShadowRoot>();
const shadow = () => roots.get(host()!)!;
const buttonText = () => shadow().querySelector('button')?.textContent;
const statusText = () => shadow().querySelector('.status')?.textContent;

/**
 * The user's own click. A page script cannot forge `isTrusted` in a browser (it is unforgeable);
 * happy-dom lets a test set it on the event, which stands in for the browser's input.
 */
function userClick(target: Element): void {
  const event = new MouseEvent('click', { bubbles: true, cancelable: true });
  Object.defineProperty(event, 'isTrusted', { value: true });
  target.dispatchEvent(event);
}

describe('placement', () => {
  const cases = Object.values(consoles).flatMap((def) => def.fixtures.map(([fileName]) => [def.vendor, fileName, def] as const));

  it.each(cases)('%s: mounts inside the anchor of %s, once', async (vendor, fileName, def) => {
    const url = def.exampleUrls.yes.find((u) => def.isKeysPage(new URL(u)) && (fileName.includes('profile') ? u.includes('profile') : !u.includes('profile')))!;
    visit(url, fixtureBody(fileName));
    info = { instance: 'prod', vendor, credential: 'apiKey' };
    await start();
    await vi.waitFor(() => expect(host()).not.toBeNull());
    expect(host()!.parentElement).toBe(findAnchor(document, def.anchors));
    expect(host()!.hasAttribute('data-floating')).toBe(false);
    expect(buttonText()).toBe('Export all keys');
    expect(hosts()).toHaveLength(1);
  });

  it('finds the vendor from the URL when the background does not know it', async () => {
    visit(CORE_USERS, fixtureBody('metadefender-core-users.html'));
    info = { instance: null, vendor: null, credential: 'none' };
    await start();
    await vi.waitFor(() => expect(host()?.parentElement).toBe(findAnchor(document, consoles['metadefender-core'].anchors)));
  });

  it('mounts when the anchor is rendered late', async () => {
    visit(CORE_USERS, '<app-root><main class="content"><div class="spinner">Loading…</div></main></app-root>');
    await start();
    await Promise.resolve();
    expect(host()).toBeNull();
    document.body.innerHTML = fixtureBody('metadefender-core-users.html');
    await vi.waitFor(() => expect(host()?.parentElement?.className).toBe('toolbar-actions'));
  });

  it('floats bottom-right when a key page shows no anchor, and moves beside the anchor once it appears', async () => {
    visit(CORE_USERS, '<app-root><main class="content"><h1>User management (redesigned)</h1></main></app-root>');
    await start(0);
    await vi.waitFor(() => expect(host()?.hasAttribute('data-floating')).toBe(true));
    expect(host()!.parentElement).toBe(document.body);
    expect(buttonText()).toBe('Export all keys');

    document.body.insertAdjacentHTML('afterbegin', '<app-users><div class="toolbar-actions"><button>Add new user</button></div></app-users>');
    await vi.waitFor(() => expect(host()?.parentElement?.className).toBe('toolbar-actions'));
    expect(host()!.hasAttribute('data-floating')).toBe(false);
    expect(hosts()).toHaveLength(1);
  });

  it('shows nothing on other routes of the console, even after the floating delay', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    visit('https://core.example:8008/#/dashboard', '<app-users><div class="toolbar-actions"></div></app-users>');
    await start(10);
    await vi.advanceTimersByTimeAsync(50);
    expect(host()).toBeNull();
    // Control: the same script mounts as soon as the route is the key page.
    location.hash = '#/user-management/users';
    await vi.waitFor(() => expect(host()?.parentElement?.className).toBe('toolbar-actions'));
  });

  it('follows route changes: unmounts when the anchor goes, mounts again when it is back', async () => {
    const users = fixtureBody('metadefender-core-users.html');
    visit(CORE_USERS, users);
    await start();
    await vi.waitFor(() => expect(host()).not.toBeNull());

    location.hash = '#/dashboard';
    document.body.innerHTML = '<app-root><main class="content"><h1>Dashboard</h1></main></app-root>';
    await vi.waitFor(() => expect(host()).toBeNull());

    location.hash = '#/user-management/users';
    document.body.innerHTML = users;
    await vi.waitFor(() => expect(host()?.parentElement?.className).toBe('toolbar-actions'));
    expect(hosts()).toHaveLength(1);
  });

  it('unmounts when the route leaves the key page even if the anchor markup stays', async () => {
    visit(CORE_USERS, fixtureBody('metadefender-core-users.html'));
    await start();
    await vi.waitFor(() => expect(host()).not.toBeNull());
    location.hash = '#/user-management/roles';
    await vi.waitFor(() => expect(host()).toBeNull());
  });

  it('uses the data-keyatlas-anchor test hook on any route of a configured instance', async () => {
    visit('https://core.example:8008/#/dashboard', '<div id="hook" data-keyatlas-anchor></div>');
    await start();
    await vi.waitFor(() => expect(host()?.parentElement?.id).toBe('hook'));
  });

  it('ignores the test hook on an origin that is no configured instance', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    visit('https://elsewhere.example/#/dashboard', '<div data-keyatlas-anchor></div>');
    info = { instance: null, vendor: null, credential: 'none' };
    await start(10);
    await vi.advanceTimersByTimeAsync(50);
    expect(host()).toBeNull();
  });

  it('never mounts twice: a second start replaces the first', async () => {
    visit(CORE_USERS, fixtureBody('metadefender-core-users.html'));
    await start();
    await vi.waitFor(() => expect(host()).not.toBeNull());
    await start();
    await vi.waitFor(() => expect(contexts[0]!.isInvalid).toBe(true));
    document.body.append(document.createElement('div'));
    await vi.waitFor(() => expect(hosts()).toHaveLength(1));
    expect(host()!.parentElement?.className).toBe('toolbar-actions');
  });

  it('never mounts twice: a live copy under another name keeps its button', async () => {
    visit(CORE_USERS, fixtureBody('metadefender-core-users.html'));
    await start(60_000, 'content');
    await vi.waitFor(() => expect(host()).not.toBeNull());
    const first = host();
    const copy = await start(60_000, 'content-copy');
    // Both copies are live and reconcile on every mutation; the first keeps the only button.
    document.body.append(document.createElement('div'));
    expect(copy.isValid && contexts[0]!.isValid).toBe(true);
    await new Promise<void>((resolve) => queueMicrotask(resolve));
    expect(hosts()).toHaveLength(1);
    expect(host()).toBe(first);
  });

  it('shows no button when the background refuses the page', async () => {
    visit(CORE_USERS, fixtureBody('metadefender-core-users.html'));
    info = new Error('KeyAtlas refused this console request: it comes from a sub-frame, not the page itself');
    await start(0);
    // start() resolves only after it gave up: no UI, no observer, no progress listener.
    expect(host()).toBeNull();
    expect(onMessage).not.toHaveBeenCalled();
  });
});

describe('export', () => {
  async function mounted() {
    visit(CORE_USERS, fixtureBody('metadefender-core-users.html'));
    await start();
    await vi.waitFor(() => expect(buttonText()).toBe('Export all keys'));
  }

  it('gives a page script no way into the button: its root is closed', async () => {
    await mounted();
    expect(host()!.shadowRoot).toBeNull();
    expect(host()!.querySelector('button')).toBeNull();
    expect(shadow().querySelector('button')).not.toBeNull();
  });

  it('ignores clicks and keys a page script makes: only the user starts an export or opens options', async () => {
    await mounted();
    const exportButton = shadow().querySelector('button')!;
    for (let i = 0; i < 100; i++) exportButton.click();
    exportButton.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    expect(sendMessage).not.toHaveBeenCalledWith('console:export');
    expect(buttonText()).toBe('Export all keys');
  });

  it('sends console:export, shows progress, then the file written', async () => {
    let finish!: (reply: ConsoleExportReply) => void;
    exportReply = new Promise((resolve) => (finish = resolve));
    await mounted();
    userClick(shadow().querySelector('button')!);
    expect(sendMessage).toHaveBeenCalledWith('console:export');
    await vi.waitFor(() => expect(buttonText()).toBe('Exporting…'));
    expect(shadow().querySelector('button')!.disabled).toBe(true);

    progressListener!({ data: { read: 3, total: 10 } });
    await vi.waitFor(() => expect(statusText()).toBe('3 of 10 keys read…'));

    finish({ ok: true, rows: 10, fileName: 'keyatlas-core-prod-2026-01-31.csv', credential: 'apiKey', coverage: 'all users' });
    await vi.waitFor(() => expect(statusText()).toBe('Exported 10 keys with the saved credentials → keyatlas-core-prod-2026-01-31.csv. Coverage: all users.'));
    expect(buttonText()).toBe('Export all keys');
    expect(vi.mocked(sendMessage).mock.calls.filter(([type]) => type === 'console:export')).toHaveLength(1);
  });

  it('names the coverage of an incomplete export before what went wrong', async () => {
    exportReply = Promise.resolve({
      ok: true,
      rows: 3,
      fileName: 'keyatlas-xsoar-2026-01-31.csv',
      credential: 'apiKey',
      coverage: 'tenant',
      error: { incomplete: true, message: 'xsoar: the server announced 5 keys but delivered 3' },
    });
    await mounted();
    userClick(shadow().querySelector('button.export')!);
    await vi.waitFor(() =>
      expect(statusText()).toBe(
        'Exported 3 keys with the saved credentials → keyatlas-xsoar-2026-01-31.csv. Coverage: tenant. Incomplete: the server announced more keys than it delivered; the file holds only the keys read. xsoar: the server announced 5 keys but delivered 3',
      ),
    );
    expect(shadow().querySelector('.status')!.getAttribute('data-kind')).toBe('error');
  });

  it('opens its result in a popover only once there is one, the file name one unit; × closes it', async () => {
    exportReply = Promise.resolve({ ok: true, rows: 10, fileName: 'keyatlas-core-prod-2026-01-31.csv', credential: 'apiKey' });
    await mounted();
    const pop = shadow().querySelector('.pop')!;
    expect(pop.hasAttribute('data-open')).toBe(false);
    userClick(shadow().querySelector('button.export')!);
    await vi.waitFor(() => expect(shadow().querySelector('.status .file')?.textContent).toBe('keyatlas-core-prod-2026-01-31.csv'));
    expect(pop.hasAttribute('data-open')).toBe(true);
    userClick(shadow().querySelector('button.close')!);
    expect(pop.hasAttribute('data-open')).toBe(false);
    expect(buttonText()).toBe('Export all keys');
  });

  it('shows the error in plain words, as text', async () => {
    exportReply = Promise.resolve({ ok: false, error: 'core-prod (metadefender-core): 401 <img src=x onerror=alert(1)> Invalid apikey' });
    await mounted();
    userClick(shadow().querySelector('button')!);
    await vi.waitFor(() => expect(statusText()).toBe('core-prod (metadefender-core): 401 <img src=x onerror=alert(1)> Invalid apikey'));
    expect(shadow().querySelector('img')).toBeNull();
    expect(shadow().querySelector('.status')!.getAttribute('data-kind')).toBe('error');
  });

  it('shows a refused export as an error', async () => {
    exportReply = Promise.reject(new Error('KeyAtlas refused this console request: https://core.example:8008 is not a configured KeyAtlas instance'));
    exportReply.catch(() => undefined);
    await mounted();
    userClick(shadow().querySelector('button')!);
    await vi.waitFor(() => expect(statusText()).toMatch(/is not a configured KeyAtlas instance/));
  });

  it('keeps its state when the route changes and comes back', async () => {
    exportReply = Promise.resolve({ ok: true, rows: 1, fileName: 'keyatlas-core-prod-2026-01-31.csv', credential: 'session' });
    await mounted();
    userClick(shadow().querySelector('button')!);
    await vi.waitFor(() => expect(statusText()).toBe('Exported 1 key with your current session → keyatlas-core-prod-2026-01-31.csv'));
    const users = document.body.innerHTML;
    location.hash = '#/dashboard';
    document.body.innerHTML = '<h1>Dashboard</h1>';
    await vi.waitFor(() => expect(host()).toBeNull());
    location.hash = '#/user-management/users';
    document.body.innerHTML = users.replace(/<keyatlas-export[\s\S]*?<\/keyatlas-export>/, '');
    await vi.waitFor(() => expect(statusText()).toBe('Exported 1 key with your current session → keyatlas-core-prod-2026-01-31.csv'));
  });
});

describe('zero setup: the live console session', () => {
  it('asks again when the background saw this tab log in, without a reload', async () => {
    visit(CORE_USERS, fixtureBody('metadefender-core-users.html'));
    info = { instance: null, vendor: 'metadefender-core', credential: 'none' };
    await start();
    await vi.waitFor(() => expect(buttonText()).toBe('Add this console to KeyAtlas'));

    info = { instance: 'core.example:8008', vendor: 'metadefender-core', credential: 'session', configured: false };
    await sessionListener!();
    expect(buttonText()).toBe('Export all keys');
    expect(statusText()).toBe('Uses your current console session');
    expect(hosts()).toHaveLength(1);

    // Logged out again: the button falls back to what KeyAtlas can still do.
    info = { instance: null, vendor: 'metadefender-core', credential: 'none' };
    await sessionListener!();
    expect(buttonText()).toBe('Add this console to KeyAtlas');
  });

  it('says before the click that it will use the current session, and offers to add the console', async () => {
    visit(CORE_USERS, fixtureBody('metadefender-core-users.html'));
    info = { instance: 'core.example:8008', vendor: 'metadefender-core', credential: 'session', configured: false };
    exportReply = Promise.resolve({ ok: true, rows: 6, fileName: 'keyatlas-core.example_8008-2026-01-31.csv', credential: 'session' });
    await start();
    await vi.waitFor(() => expect(buttonText()).toBe('Export all keys'));
    expect(statusText()).toBe('Uses your current console session');
    expect(shadow().querySelector('button')!.title).toBe('Export every API key of core.example:8008 to CSV with your current session');

    userClick(shadow().querySelector('button')!);
    await vi.waitFor(() => expect(statusText()).toBe('Exported 6 keys with your current session → keyatlas-core.example_8008-2026-01-31.csv'));

    userClick(shadow().querySelector('a')!);
    expect(sendMessage).toHaveBeenCalledWith('console:options');
  });
});

describe('not exportable here', () => {
  it('offers to add an unconfigured console: the background opens the options page, never the page itself', async () => {
    const open = vi.spyOn(window, 'open').mockReturnValue(null);
    visit('https://vault.example:8010/#/settings/security/api-keys', fixtureBody('metadefender-vault-api-keys.html'));
    info = { instance: null, vendor: 'metadefender-vault', credential: 'none' };
    await start();
    await vi.waitFor(() => expect(buttonText()).toBe('Add this console to KeyAtlas'));
    userClick(shadow().querySelector('button')!);
    // Payload-free: the background builds #add?url=…&vendor=… from the tab origin (ext/console-bridge.ts).
    expect(sendMessage).toHaveBeenCalledWith('console:options');
    expect(open).not.toHaveBeenCalled();
    expect(sendMessage).not.toHaveBeenCalledWith('console:export');
  });

  it('opens nothing for a page script: the options link and the add button act on trusted clicks and keys only', async () => {
    const untrusted = (target: Element) => {
      for (let i = 0; i < 20; i++) (target as HTMLElement).click();
      target.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
      target.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    };
    const optionsAsked = () => vi.mocked(sendMessage).mock.calls.filter(([type]) => type === 'console:options').length;

    visit('https://tenant.xdr.example/settings/configurations/api-keys', fixtureBody('cortex-xsoar-api-keys.html'));
    info = { instance: 'xsoar', vendor: 'cortex-xsoar', credential: 'none', note: 'add an API key in KeyAtlas options' };
    await start();
    const link = await vi.waitFor(() => shadow().querySelector('a')!);
    untrusted(link);
    expect(optionsAsked()).toBe(0);
    userClick(link);
    expect(optionsAsked()).toBe(1);

    visit('https://vault.example:8010/#/settings/security/api-keys', fixtureBody('metadefender-vault-api-keys.html'));
    info = { instance: null, vendor: 'metadefender-vault', credential: 'none' };
    await start();
    await vi.waitFor(() => expect(buttonText()).toBe('Add this console to KeyAtlas'));
    untrusted(shadow().querySelector('button')!);
    expect(optionsAsked()).toBe(1);
    userClick(shadow().querySelector('button')!);
    expect(optionsAsked()).toBe(2);
  });

  it('shows the background’s note and a link to the options page', async () => {
    const open = vi.spyOn(window, 'open').mockReturnValue(null);
    visit('https://tenant.xdr.example/settings/configurations/api-keys', fixtureBody('cortex-xsoar-api-keys.html'));
    const note = "Cortex XSOAR's console session cannot call the public API: add an API key in KeyAtlas options";
    info = { instance: 'xsoar', vendor: 'cortex-xsoar', credential: 'none', note };
    await start();
    await vi.waitFor(() => expect(statusText()).toBe(note));
    // No export to offer: the note opens beside the link (its popover closes with ×).
    expect(shadow().querySelector('button.export')).toBeNull();
    expect(shadow().querySelector('.pop')!.hasAttribute('data-open')).toBe(true);
    userClick(shadow().querySelector('a')!);
    expect(sendMessage).toHaveBeenCalledWith('console:options');
    expect(open).not.toHaveBeenCalled();
  });
});

/**
 * docs/contract.md#languages-and-accessibility: axe-core over the button's own markup in each state. The button lives in a
 * closed shadow root, which axe (and every page script) cannot enter; here the same component is
 * mounted with `attachShadow` forced open, so axe reads exactly what the user's browser renders.
 * Colour contrast needs layout, which happy-dom lacks: the Chromium test (test/e2e/a11y.test.ts) covers it.
 */
describe('accessibility (axe-core)', () => {
  const states: [string, ConsoleInfoReply][] = [
    ['configured, saved credential', configured],
    ['configured, console session', { ...configured, credential: 'session' }],
    ['not configured', { instance: null, vendor: 'metadefender-core', credential: 'none' }],
    ['session of an unconfigured console', { instance: 'core.example:8008', vendor: 'metadefender-core', credential: 'session', configured: false }],
    ['a note instead of a button', { instance: null, vendor: 'metadefender-core', credential: 'none', note: 'KeyAtlas is locked.' }],
  ];

  beforeEach(() => {
    // On top of the suite's own root handle (its attachShadow spy): the same, opened.
    const keepHandle = vi.mocked(Element.prototype.attachShadow).getMockImplementation()!;
    vi.mocked(Element.prototype.attachShadow).mockImplementation(function (this: Element, init: ShadowRootInit) {
      return keepHandle.call(this, { ...init, mode: 'open' });
    });
  });

  async function violations(): Promise<string[]> {
    const { default: axe } = await import('axe-core');
    const { violations } = await axe.run(host()!, { resultTypes: ['violations'], rules: { 'color-contrast': { enabled: false } } });
    return violations.map((v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' > ')).join(', ')}`);
  }

  it.each(states)('%s', async (_, reply) => {
    visit(CORE_USERS, fixtureBody('metadefender-core-users.html'));
    info = reply;
    await start();
    await vi.waitFor(() => expect(shadow().querySelector('button, a')).not.toBeNull());
    expect(await violations()).toEqual([]);
  });

  it('while exporting and after the export, with the status in a live region', async () => {
    visit(CORE_USERS, fixtureBody('metadefender-core-users.html'));
    let finish!: (reply: ConsoleExportReply) => void;
    exportReply = new Promise((resolve) => (finish = resolve));
    await start();
    await vi.waitFor(() => expect(buttonText()).toBe('Export all keys'));
    userClick(shadow().querySelector('button')!);
    await vi.waitFor(() => expect(statusText()).toBe('Reading keys…'));
    progressListener!({ data: { read: 3, total: 7 } });
    expect(statusText()).toBe('3 of 7 keys read…');
    expect(shadow().querySelector('.status')!.getAttribute('role')).toBe('status');
    expect(await violations()).toEqual([]);
    finish({ ok: true, rows: 1, fileName: 'keyatlas-core-prod-2026-11-29.csv', credential: 'apiKey', coverage: 'own + system-level tokens' });
    await vi.waitFor(() => expect(statusText()).toBe('Exported 1 key with the saved credentials → keyatlas-core-prod-2026-11-29.csv. Coverage: own + system-level tokens.'));
    expect(await violations()).toEqual([]);
  });
});
