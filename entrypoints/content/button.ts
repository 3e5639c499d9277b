import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createShadowRootUi } from 'wxt/utils/content-script-ui/shadow-root';
import { formatNumber, t, tCount } from '../../ext/i18n';
import { coverageLabel } from '../../ext/ui/format';
import { onMessage, sendMessage } from '../../ext/messaging';
import { consoleFor, detectConsole, findAnchor, TEST_ANCHOR, type ConsoleDef } from '../../lib/consoles';
// Types only: zod would quadruple a script injected into every console page, and these replies come
// from this extension's own background (pages and other extensions cannot message a content script).
import type { ConsoleInfoReply, ConsoleProgress } from '../../lib/messages';

/** docs/contract.md#automation-contract: the e2e tests look for this id. */
export const HOST_ID = 'keyatlas-export';
/** How long a key page may take to render its anchor before the floating button stands in. */
export const FLOAT_AFTER_MS = 3000;

export interface ConsoleButtonOptions {
  floatAfterMs?: number;
}

/**
 * The console's look wins (docs/design.md#console-button): the button takes its height, font and
 * corners from the console's own button beside it (`--ka-*`, measured at mount), in a quiet
 * outlined style. Results open in a popover anchored under it, so the console's controls never move.
 */
const CSS = `
:host { all: initial !important; display: inline-flex !important; position: relative !important; vertical-align: baseline !important; margin: 0 0 0 var(--ka-margin, 8px) !important; font: var(--ka-font-weight, 500) var(--ka-font-size, 14px)/1.4 var(--ka-font-family, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif) !important; color: #1f2933 !important; }
html, body { margin: 0 !important; padding: 0 !important; }
:host([data-floating]) { position: fixed !important; right: 16px !important; bottom: 16px !important; z-index: 2147483646 !important; margin: 0 !important; }
.keyatlas, .controls { display: inline-flex; align-items: center; gap: 8px; }
button.export { box-sizing: border-box; height: var(--ka-height, 32px); padding: 0 var(--ka-padding-x, 12px); font: inherit; text-transform: var(--ka-text-transform, none); letter-spacing: var(--ka-letter-spacing, normal); cursor: pointer; border: 1px solid #0b5cad; background: #fff; color: #0b5cad; border-radius: var(--ka-radius, 4px); white-space: nowrap; }
:host([data-floating]) button.export { box-shadow: 0 4px 16px rgba(0,0,0,.2); }
button.export:hover { background: #eef5fd; }
button:focus-visible, a:focus-visible { outline: 2px solid #f5a623; outline-offset: 2px; }
button.export:disabled { cursor: progress; opacity: .75; }
a { color: #0b5cad; cursor: pointer; white-space: nowrap; font-size: .9em; }
.pop { position: absolute; top: calc(100% + 6px); right: 0; z-index: 2147483646; box-sizing: border-box; width: max-content; max-width: min(380px, calc(100vw - 16px)); padding: 8px 30px 8px 12px; background: #fff; color: #1f2933; border: 1px solid #d0d5dd; border-left: 3px solid #0b5cad; border-radius: 6px; box-shadow: 0 6px 20px rgba(16,24,40,.18); font: 400 12px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; text-align: left; white-space: normal; }
.pop[data-side="left"] { right: auto; left: 0; }
:host([data-floating]) .pop { top: auto; bottom: calc(100% + 6px); }
.pop[data-kind="error"] { border-left-color: #b42318; }
.pop[data-kind="done"] { border-left-color: #1e7b34; }
.pop:not([data-open]) { position: absolute; width: 1px; height: 1px; padding: 0; border: 0; overflow: hidden; clip-path: inset(50%); white-space: nowrap; box-shadow: none; }
.status { display: block; }
.status[data-kind="error"] { color: #b42318; }
.status[data-kind="done"] { color: #1e7b34; }
.file { white-space: nowrap; font-weight: 600; }
.pop a { display: inline-block; margin-top: 4px; }
.close { position: absolute; top: 4px; right: 4px; width: 22px; height: 22px; padding: 0; border: 0; border-radius: 4px; background: none; color: #475467; font: 16px/1 system-ui, sans-serif; cursor: pointer; }
.close:hover { background: #f2f4f7; }
.pop:not([data-open]) .close, .pop:not([data-open]) a { display: none; }
`;

/** How an export authenticates, as words that fit into the title and result sentences. */
function credentialWords(credential: ConsoleInfoReply['credential']): string {
  return credential === 'none' ? '' : t(`button_with_${credential}`);
}

/** A sentence whose optional part was left empty, without the doubled or trailing space. */
function tidy(text: string): string {
  return text.replace(/\s{2,}/g, ' ').trim();
}

type Status = { kind: 'idle' } | { kind: 'running'; progress?: ConsoleProgress } | { kind: 'done' | 'error'; text: string; fileName?: string };

/**
 * The "Export all keys" button on a vendor console (docs/contract.md#console-button). It asks the background what this tab
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
  // It sits in the popover, which is visually hidden (not removed) while there is nothing to show.
  const controls = el('span', { class: 'controls' });
  const live = el('span', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const popLink = el('span', {});
  const close = button(t('button_close'), dismiss, 'close');
  close.textContent = '×';
  const pop = el('div', { class: 'pop' });
  pop.append(live, popLink, close);
  const box = el('div', { class: 'keyatlas' });
  box.append(controls, pop);
  // The note of a console KeyAtlas cannot export from stays open until the user closes it.
  let noteDismissed = false;

  function dismiss(): void {
    if (info.note) noteDismissed = true;
    else if (status.kind !== 'running') status = { kind: 'idle' };
    rerender();
  }

  function render(container: HTMLElement): void {
    update();
    if (box.parentNode !== container) container.replaceChildren(box);
    place();
  }

  function rerender(): void {
    if (ui.shadowHost.isConnected) render(ui.uiContainer);
  }

  function update(): void {
    const { instance, note, credential, configured } = info;
    matchConsoleButton(ui.shadowHost, target, currentConsole(new URL(location.href)));
    const kind = note ? 'error' : status.kind;
    live.setAttribute('data-kind', kind);
    pop.setAttribute('data-kind', kind);
    if (note) {
      live.textContent = note;
      popLink.replaceChildren(link(t('button_openOptions'), openOptions));
      controls.replaceChildren(link(t('button_openOptions'), openOptions, 'export'));
    } else if (instance === null) {
      live.textContent = '';
      popLink.replaceChildren();
      controls.replaceChildren(button(t('button_addConsole'), openOptions, 'export'));
    } else {
      showStatus();
      popLink.replaceChildren();
      const running = status.kind === 'running';
      const exportButton = button(running ? t('button_exporting') : t('button_export'), () => void runExport(), 'export');
      exportButton.disabled = running;
      exportButton.title = tidy(t('button_exportTitle', instance, credentialWords(credential)));
      controls.replaceChildren(exportButton, ...(configured === false ? [link(t('button_addConsole'), openOptions)] : []));
    }
    const open = note ? !noteDismissed : status.kind !== 'idle';
    pop.toggleAttribute('data-open', open);
  }

  /** The status line, with the file name as one unit: a name like keyatlas-core-prod-….csv never wraps at its hyphens. */
  function showStatus(): void {
    const text = statusText();
    const fileName = status.kind === 'done' || status.kind === 'error' ? status.fileName : undefined;
    const at = fileName ? text.lastIndexOf(fileName) : -1;
    if (!fileName || at < 0) {
      live.textContent = text;
      return;
    }
    live.replaceChildren(text.slice(0, at), el('span', { class: 'file' }, fileName), text.slice(at + fileName.length));
  }

  /** Opens the popover towards the side with room, so it stays inside the window. */
  function place(): void {
    if (!pop.hasAttribute('data-open')) return;
    pop.removeAttribute('data-side');
    if (pop.getBoundingClientRect().left < 8) pop.setAttribute('data-side', 'left');
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
        // docs/contract.md#outcomes: a file from a failed or incomplete read, or with warnings, says so.
        if (reply.error)
          status = { kind: 'error', fileName, text: `${exported}.${reach} ${t(reply.error.incomplete ? 'button_resultIncomplete' : 'button_resultFailed')} ${reply.error.message}` };
        else if (reply.warnings?.length) status = { kind: 'done', fileName, text: `${exported}.${reach} ${t('button_resultWarnings', reply.warnings.length)} ${reply.warnings.join(' ')}` };
        else status = { kind: 'done', fileName, text: reach ? `${exported}.${reach}` : exported };
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

/**
 * Takes the size of the console's own button (`buttonLike`, looked for beside the anchor first)
 * onto the host's `--ka-*` variables: the console's look wins over KeyAtlas's own.
 */
function matchConsoleButton(host: HTMLElement, target: Element | 'floating' | null, def: ConsoleDef | undefined): void {
  if (!def) return;
  const like = (target instanceof Element ? target.querySelector(def.buttonLike) : null) ?? document.querySelector(def.buttonLike);
  if (!like) return;
  const style = getComputedStyle(like);
  const height = Math.round(like.getBoundingClientRect().height);
  const values: Record<string, string> = {
    // A button hidden or not laid out yet measures 0: the default height stays.
    height: height >= 16 && height <= 64 ? `${height}px` : '',
    'font-size': style.fontSize,
    'font-family': style.fontFamily,
    'font-weight': style.fontWeight,
    radius: style.borderTopLeftRadius,
    'padding-x': style.paddingLeft,
    'text-transform': style.textTransform,
    'letter-spacing': style.letterSpacing,
  };
  for (const [name, value] of Object.entries(values)) if (value) host.style.setProperty(`--ka-${name}`, value);
  // A toolbar that spaces its buttons with `gap` spaces this one too: no margin on top of it.
  const gap = target instanceof Element ? Number.parseFloat(getComputedStyle(target).columnGap) : Number.NaN;
  host.style.setProperty('--ka-margin', gap > 0 ? '0px' : '8px');
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

/** Named by its label as written: a console's `text-transform: uppercase` (copied for the look) must not reach screen readers. */
function button(label: string, onClick: () => void, className: string): HTMLButtonElement {
  const node = el('button', { type: 'button', class: className, 'aria-label': label }, label) as HTMLButtonElement;
  onTrusted(node, 'click', onClick);
  return node;
}

function link(label: string, onClick: () => void, className?: string): HTMLElement {
  const node = el('a', { role: 'link', tabindex: '0', ...(className && { class: className }) }, label);
  onTrusted(node, 'click', onClick);
  onTrusted(node, 'keydown', (event) => {
    if ((event as KeyboardEvent).key === 'Enter') onClick();
  });
  return node;
}
