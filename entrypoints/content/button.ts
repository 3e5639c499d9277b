import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createShadowRootUi } from 'wxt/utils/content-script-ui/shadow-root';
import { formatNumber, t, tCount } from '../../ext/i18n';
import { coverageLabel } from '../../ext/ui/format';
import { onMessage, sendMessage } from '../../ext/messaging';
import { consoleFor, detectConsole, findAnchor, TEST_ANCHOR, type ConsoleDef } from '../../lib/consoles';
// Types only: zod would quadruple a script injected into every console page, and these replies come
// from this extension's own background (pages and other extensions cannot message a content script).
import type { ConsoleInfoReply, ConsoleProgress } from '../../lib/messages';

/** SPEC §5 automation contract: the e2e tests look for this id. */
export const HOST_ID = 'keyatlas-export';
/** How long a key page may take to render its anchor before the floating button stands in. */
export const FLOAT_AFTER_MS = 3000;

export interface ConsoleButtonOptions {
  floatAfterMs?: number;
}

const CSS = `
:host { font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif !important; display: inline-block !important; vertical-align: middle !important; margin: 0 0 0 8px !important; }
:host([data-floating]) { position: fixed !important; right: 16px !important; bottom: 16px !important; z-index: 2147483646 !important; margin: 0 !important; }
.keyatlas, .controls { display: inline-flex; flex-direction: column; align-items: flex-end; gap: 4px; max-width: 360px; color: #1f2933; }
:host([data-floating]) .keyatlas { background: #fff; padding: 8px 10px; border-radius: 8px; box-shadow: 0 4px 16px rgba(0,0,0,.2); }
button { font: inherit; font-weight: 600; cursor: pointer; border: 1px solid #0b5cad; background: #0b6fd4; color: #fff; border-radius: 4px; padding: 6px 12px; white-space: nowrap; }
button:hover { background: #0b5cad; }
button:focus-visible { outline: 2px solid #f5a623; outline-offset: 2px; }
button:disabled { cursor: progress; opacity: .7; }
.status { font-size: 12px; overflow-wrap: anywhere; }
.status[data-kind="error"] { color: #b42318; }
.status[data-kind="done"] { color: #1e7b34; }
a { color: #0b5cad; cursor: pointer; }
`;

/** How an export authenticates, as words that fit into the title and result sentences. */
function credentialWords(credential: ConsoleInfoReply['credential']): string {
  return credential === 'none' ? '' : t(`button_with_${credential}`);
}

/** A sentence whose optional part was left empty, without the doubled or trailing space. */
function tidy(text: string): string {
  return text.replace(/\s{2,}/g, ' ').trim();
}

type Status = { kind: 'idle' } | { kind: 'running'; progress?: ConsoleProgress } | { kind: 'done' | 'error'; text: string };

/**
 * The "Export all keys" button on a vendor console (SPEC §5). It asks the background what this tab
 * is (`console:info`: the instance comes from the tab origin, never from here), then keeps exactly
 * one button in the page: beside the console's anchor on its key page, or floating bottom-right
 * when a key page shows no anchor for a while, following the single-page app's route changes.
 * When the background sees this tab's console session start or end (`console:session`), it asks
 * again: a user who just logged in gets the session export without reloading the page.
 * Nothing it receives or shows is a credential or a key value; vendor strings go in as text only.
 */
export async function startConsoleButton(ctx: ContentScriptContext, options: ConsoleButtonOptions = {}): Promise<void> {
  const floatAfterMs = options.floatAfterMs ?? FLOAT_AFTER_MS;
  const first = await askInfo();
  if (!first || ctx.isInvalid) return;
  let info: ConsoleInfoReply = first;

  let status: Status = { kind: 'idle' };
  let target: Element | 'floating' | null = null;
  let settled = false;
  let route = 0;

  const ui = await createShadowRootUi(ctx, {
    name: 'keyatlas-export',
    position: 'inline',
    // Closed: the console page's own scripts get no handle on the button, its status or its listeners.
    mode: 'closed',
    css: CSS,
    anchor: () => (target === 'floating' ? document.body : target),
    append: 'last',
    onMount(container, _shadow, host) {
      host.id = HOST_ID;
      host.toggleAttribute('data-floating', target === 'floating');
      render(container);
    },
  });

  function currentConsole(url: URL): ConsoleDef | undefined {
    return consoleFor(info.vendor) ?? detectConsole(url);
  }

  function placement(): Element | 'floating' | null {
    const url = new URL(location.href);
    const def = currentConsole(url);
    const vendorAnchors = def?.isKeysPage(url) ? def.anchors : undefined;
    const selectors = [...(vendorAnchors ?? []), ...(info.instance ? [TEST_ANCHOR] : [])];
    return findAnchor(document, selectors) ?? (vendorAnchors && settled ? 'floating' : null);
  }

  function reconcile(): void {
    if (ctx.isInvalid) return;
    const next = placement();
    const host = ui.shadowHost;
    if (!next) {
      target = null;
      if (host.isConnected) ui.remove();
      return;
    }
    // Never twice: a button owned by another copy of this script (e.g. a re-injection) wins.
    const existing = document.getElementById(HOST_ID);
    if (existing && existing !== host) return;
    const expectedParent = next === 'floating' ? document.body : next;
    if (host.isConnected && host.parentElement === expectedParent && target === next) return;
    target = next;
    ui.mount();
  }

  let queued = false;
  function schedule(): void {
    if (queued) return;
    queued = true;
    queueMicrotask(() => {
      queued = false;
      reconcile();
    });
  }

  function onRoute(): void {
    const mine = ++route;
    settled = false;
    ctx.setTimeout(() => {
      if (mine !== route) return;
      settled = true;
      reconcile();
    }, floatAfterMs);
    schedule();
  }

  // Built once and only updated: a live region replaced on each change would not be announced.
  const controls = el('span', { class: 'controls' });
  const live = el('span', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const box = el('div', { class: 'keyatlas' });
  box.append(controls, live);

  function render(container: HTMLElement): void {
    update();
    if (box.parentNode !== container) container.replaceChildren(box);
  }

  function rerender(): void {
    if (ui.shadowHost.isConnected) render(ui.uiContainer);
  }

  function update(): void {
    const { instance, note, credential, configured } = info;
    const text = instance === null || note ? '' : statusText();
    live.textContent = text;
    live.setAttribute('data-kind', status.kind);
    if (note) {
      controls.replaceChildren(el('span', { class: 'status', 'data-kind': 'error' }, note), link(t('button_openOptions'), openOptions));
    } else if (instance === null) {
      controls.replaceChildren(button(t('button_addConsole'), openOptions));
    } else {
      const running = status.kind === 'running';
      const exportButton = button(running ? t('button_exporting') : t('button_export'), () => void runExport());
      exportButton.disabled = running;
      exportButton.title = tidy(t('button_exportTitle', instance, credentialWords(credential)));
      controls.replaceChildren(exportButton, ...(configured === false ? [link(t('button_addConsole'), openOptions)] : []));
    }
  }

  function statusText(): string {
    switch (status.kind) {
      case 'idle':
        // Which credential the click will use, said before the click: a session is the user's own login.
        return info.credential === 'session' ? t('button_usesSession') : '';
      case 'running': {
        const p = status.progress;
        if (!p) return t('button_reading');
        return p.total === undefined ? tCount('button_progress', p.read) : tCount('button_progressOf', p.total, formatNumber(p.read));
      }
      default:
        return status.text;
    }
  }

  async function runExport(): Promise<void> {
    if (status.kind === 'running') return;
    status = { kind: 'running' };
    rerender();
    try {
      const reply = await sendMessage('console:export');
      if (reply.ok) {
        const { rows, fileName } = reply;
        const exported = tidy(tCount('button_exported', rows, credentialWords(reply.credential), fileName));
        // What the credential could see: "1 key" from an own-key read is not everything on the instance.
        const reach = reply.coverage ? ` ${t('button_coverage', coverageLabel(reply.coverage))}` : '';
        // SPEC §1: a file from a failed or incomplete read, or with warnings, says so.
        if (reply.error)
          status = { kind: 'error', text: `${exported}.${reach} ${t(reply.error.incomplete ? 'button_resultIncomplete' : 'button_resultFailed')} ${reply.error.message}` };
        else if (reply.warnings?.length) status = { kind: 'done', text: `${exported}.${reach} ${t('button_resultWarnings', reply.warnings.length)} ${reply.warnings.join(' ')}` };
        else status = { kind: 'done', text: reach ? `${exported}.${reach}` : exported };
      } else status = { kind: 'error', text: reply.error };
    } catch (error) {
      status = { kind: 'error', text: plainError(error) };
    }
    rerender();
  }

  ctx.onInvalidated(
    onMessage('console:session', async () => {
      const next = await askInfo();
      if (!next || ctx.isInvalid) return;
      info = next;
      reconcile();
      rerender();
    }),
  );
  ctx.onInvalidated(
    onMessage('console:progress', ({ data }) => {
      if (status.kind !== 'running') return;
      status = { kind: 'running', progress: data };
      rerender();
    }),
  );

  const observer = new MutationObserver(schedule);
  observer.observe(document.documentElement, { childList: true, subtree: true });
  ctx.onInvalidated(() => observer.disconnect());
  ctx.addEventListener(window, 'wxt:locationchange', onRoute);
  ctx.addEventListener(window, 'hashchange', onRoute);
  ctx.addEventListener(window, 'popstate', onRoute);
  onRoute();
}

async function askInfo(): Promise<ConsoleInfoReply | undefined> {
  try {
    return await sendMessage('console:info');
  } catch {
    // Refused (not a configured origin's top frame) or the extension is gone: no button.
    return undefined;
  }
}

/**
 * Chrome refuses to open an extension page from a web page, so the background opens it, building
 * the add form's URL from this tab's origin itself.
 */
function openOptions(): void {
  void sendMessage('console:options').catch(() => undefined);
}

/** webext-core messaging serializes the background's Error: show its message, not a stack. */
function plainError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message || t('button_exportFailed');
}

function el(tag: string, attrs: Record<string, string>, text?: string): HTMLElement {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Only the user's own clicks and keys count: a page script's `click()` or synthetic event is not trusted. */
function onTrusted(node: HTMLElement, type: 'click' | 'keydown', handler: (event: Event) => void): void {
  node.addEventListener(type, (event) => {
    if (event.isTrusted) handler(event);
  });
}

function button(label: string, onClick: () => void): HTMLButtonElement {
  const node = el('button', { type: 'button' }, label) as HTMLButtonElement;
  onTrusted(node, 'click', onClick);
  return node;
}

function link(label: string, onClick: () => void): HTMLElement {
  const node = el('a', { role: 'link', tabindex: '0' }, label);
  onTrusted(node, 'click', onClick);
  onTrusted(node, 'keydown', (event) => {
    if ((event as KeyboardEvent).key === 'Enter') onClick();
  });
  return node;
}
