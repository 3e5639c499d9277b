/**
 * The background's half of the console content-script protocol (docs/contract.md#messages, lib/messages.ts):
 * `console:info`, `console:export` and `console:options`, asked by the "Export all keys" button on
 * a vendor console.
 *
 * A console page is untrusted. Every request is checked here before anything runs: it must come
 * from this extension's own content script (sender.id), in a tab, in the top frame; the instance is
 * the one configured for the TAB'S ORIGIN (lib/origins.ts, XSOAR console `<fqdn>` → `api-<fqdn>`
 * instance), never something the page names. With no configured instance, a live console session
 * the background observed on that origin (docs/contract.md#console-sessions, ext/background/sessions.ts) exports it with zero
 * setup. Replies are rebuilt field by field and validated, and every text is redacted against the
 * instance's secrets, so no credential or key value can reach the page.
 *
 * Wiring: ext/background/app.ts (progress goes back to the tab through `notify`); the router
 * (ext/background/router.ts) checks the sender kind and payload first.
 *
 * A refused request throws (the content script's sendMessage rejects with the message); a failed
 * export resolves `{ ok: false, error }` in plain words.
 */
import type { ResolvedInstance } from '../lib/config';
import { redact } from '../lib/apis/errors';
import type { Coverage } from '../lib/coverage';
import { detectConsole } from '../lib/consoles';
import {
  consoleExportReplySchema,
  consoleInfoReplySchema,
  type ConsoleExportReply,
  type ConsoleInfoReply,
  type ConsoleProgress,
} from '../lib/messages';
import { instanceForOrigin, normalizeOrigin } from '../lib/origins';
import { sessionInstance, type SessionVendor } from '../lib/session-capture';
import { isCortexVendor } from '../lib/vendors';
import { lockedText } from './background/instance-store';
import { t } from './i18n';
import type { SenderInfo } from './background/senders';

export type ExportResult =
  | { ok: true; rows: number; fileName: string; errors?: string[]; incomplete?: boolean; warnings?: string[]; coverage: Partial<Record<string, Coverage>> }
  | { ok: false; error: string };

export interface ConsoleBridgeDeps {
  listInstances(): Promise<ResolvedInstance[] | 'locked'>;
  exportInstances(instances: ResolvedInstance[], onProgress: (read: number, total?: number) => void): Promise<ExportResult>;
  /** The live console session the user is logged into on this origin, if any. */
  sessionFor?(origin: string): Promise<{ vendor: SessionVendor; token: string } | undefined>;
  /** Opens the options page (`#add?…` or plain) in a new tab: web pages may not open extension pages themselves. */
  openOptions(hash: string): Promise<void>;
  /** Pushes export progress to the tab that asked (`console:progress`). */
  notify?(tabId: number, progress: ConsoleProgress): void;
  /** Clock for the export rate limit (tests step it). */
  now?(): number;
}

/** docs/contract.md#console-button-and-pages: a page script looping over the button gets one download, not a hundred. */
export const EXPORT_INTERVAL_MS = 10_000;

export interface ConsoleBridge {
  handle(type: 'console:info', sender: SenderInfo, extensionId: string): Promise<ConsoleInfoReply>;
  handle(type: 'console:export', sender: SenderInfo, extensionId: string): Promise<ConsoleExportReply>;
  handle(type: 'console:options', sender: SenderInfo, extensionId: string): Promise<void>;
}

// docs/contract.md#cortex-xsoar-xsiam-and-xdr: the public API takes only API keys (authorization + x-xdr-auth-id), never a console session.
export const xsoarSessionNote = () => t('error_xsoarSession');

function refused(reason: string): Error {
  return new Error(t('error_consoleRefused', reason));
}

interface CheckedSender {
  origin: string;
  tabId: number | undefined;
  url: URL;
}

function checkSender(sender: SenderInfo, extensionId: string): CheckedSender {
  // Compared as strings: the id is all that identifies this extension's own scripts.
  if (!extensionId || sender.id !== extensionId) throw refused(t('error_refused_notThisExtension'));
  if (!sender.tab) throw refused(t('error_refused_notTab'));
  if (sender.frameId !== 0) throw refused(t('error_refused_subFrame'));
  const tabUrl = sender.tab.url;
  const fromTab = tabUrl ? normalizeOrigin(tabUrl) : undefined;
  const frameUrl = sender.origin ?? sender.url;
  const fromFrame = frameUrl ? normalizeOrigin(frameUrl) : undefined;
  if (fromTab && fromFrame && fromTab !== fromFrame) throw refused(t('error_refused_originMismatch'));
  // A sandboxed document has the opaque origin "null" while its tab shows the console's URL.
  if (sender.origin !== undefined && !fromFrame) throw refused(t('error_refused_opaque'));
  const origin = fromTab ?? fromFrame;
  if (!origin) throw refused(t('error_refused_notHttp'));
  const pageUrl = [tabUrl, sender.url].find((u) => u && normalizeOrigin(u)) ?? origin;
  return { origin, tabId: sender.tab.id, url: new URL(pageUrl) };
}

type CredentialChoice =
  | { credential: 'apiKey' | 'session'; instance: ResolvedInstance }
  | { credential: 'none'; note: string };

export function createConsoleBridge(deps: ConsoleBridgeDeps): ConsoleBridge {
  const now = deps.now ?? Date.now;
  /** Instance name → when its last console export started; running ones are in `running`. */
  const started = new Map<string, number>();
  const running = new Set<string>();
  async function liveSession(origin: string) {
    return deps.sessionFor?.(origin).catch(() => undefined);
  }

  async function choose(instance: ResolvedInstance, origin: string): Promise<CredentialChoice> {
    // docs/contract.md#metadefender-storage-security: an MDSS API key cannot list keys, so there only a password is a usable credential.
    const own = instance.vendor === 'metadefender-storage' ? instance.password : instance.apiKey || (!isCortexVendor(instance.vendor) && instance.password);
    if (own) return { credential: 'apiKey', instance };
    if (isCortexVendor(instance.vendor)) return { credential: 'none', note: xsoarSessionNote() };
    const live = await liveSession(origin);
    if (live?.vendor === instance.vendor) return { credential: 'session', instance: { ...instance, sessionToken: live.token } };
    // An MDSS key alone: its adapter says plainly why that cannot list keys.
    if (instance.apiKey) return { credential: 'apiKey', instance };
    return { credential: 'none', note: t('error_noCredential', instance.name) };
  }

  /** No instance is configured here: a live session exports this console alone; otherwise nothing can. */
  async function chooseUnconfigured(origin: string): Promise<CredentialChoice | undefined> {
    const live = await liveSession(origin);
    return live && { credential: 'session', instance: sessionInstance(origin, live.vendor, live.token) };
  }

  async function info(sender: CheckedSender): Promise<ConsoleInfoReply> {
    const guessed = detectConsole(sender.url)?.vendor ?? null;
    const instances = await deps.listInstances();
    if (instances === 'locked') return { instance: null, vendor: guessed, credential: 'none', note: lockedText() };
    const instance = instanceForOrigin(sender.origin, instances);
    if (!instance) {
      const live = await chooseUnconfigured(sender.origin);
      if (live?.credential === 'session') return { instance: live.instance.name, vendor: live.instance.vendor, credential: 'session', configured: false };
      // docs/contract.md#cortex-xsoar-xsiam-and-xdr: logging in to the XSOAR console gives KeyAtlas nothing it can use.
      return { instance: null, vendor: guessed, credential: 'none', ...(guessed === 'cortex-xsoar' ? { note: xsoarSessionNote() } : {}) };
    }
    const choice = await choose(instance, sender.origin);
    const scrub = scrubberFor(choice.credential === 'none' ? instance : choice.instance);
    return {
      instance: instance.name,
      vendor: instance.vendor,
      credential: choice.credential,
      ...(choice.credential === 'none' ? { note: scrub(choice.note) } : {}),
    };
  }

  async function exportFor(sender: CheckedSender): Promise<ConsoleExportReply> {
    const instances = await deps.listInstances();
    if (instances === 'locked') return { ok: false, error: lockedText() };
    const instance = instanceForOrigin(sender.origin, instances);
    const choice = instance ? await choose(instance, sender.origin) : await chooseUnconfigured(sender.origin);
    if (!choice) throw refused(t('error_refused_notConfigured', sender.origin));
    if (choice.credential === 'none') return { ok: false, error: choice.note };
    const scrub = scrubberFor(choice.instance);
    const { tabId } = sender;
    const onProgress = (read: number, total?: number) => {
      if (tabId !== undefined) deps.notify?.(tabId, total === undefined ? { read } : { read, total });
    };
    const name = choice.instance.name;
    if (running.has(name)) return { ok: false, error: t('error_exportRunning', name) };
    const last = started.get(name);
    if (last !== undefined && now() - last < EXPORT_INTERVAL_MS)
      return { ok: false, error: t('error_exportTooSoon', name) };
    started.set(name, now());
    running.add(name);
    try {
      const result = await deps.exportInstances([choice.instance], onProgress);
      if (!result.ok) return { ok: false, error: scrub(result.error) };
      const coverage = result.coverage[name];
      // docs/contract.md#completeness-states: a file written from a failed or incomplete read must not look like a clean export,
      // and an `ok` one says how far it reaches (docs/completeness.md, coverage).
      return {
        ok: true,
        rows: result.rows,
        fileName: scrub(result.fileName),
        credential: choice.credential,
        ...(result.errors?.length ? { error: { incomplete: !!result.incomplete, message: scrub(result.errors.join('\n')) } } : {}),
        ...(result.warnings?.length ? { warnings: result.warnings.map(scrub) } : {}),
        ...(coverage ? { coverage } : {}),
      };
    } catch (error) {
      return { ok: false, error: scrub(t('error_exportFailed', choice.instance.name, error instanceof Error ? error.message : String(error))) };
    } finally {
      running.delete(name);
    }
  }

  /** The add form prefilled from the TAB origin (never from the page's words); plain options for a known or locked one. */
  async function openOptions(sender: CheckedSender): Promise<void> {
    const instances = await deps.listInstances();
    if (instances === 'locked' || instanceForOrigin(sender.origin, instances)) return deps.openOptions('');
    const vendor = (await liveSession(sender.origin))?.vendor ?? detectConsole(sender.url)?.vendor ?? '';
    await deps.openOptions(`#add?url=${encodeURIComponent(sender.origin)}&vendor=${encodeURIComponent(vendor)}`);
  }

  function handle(type: 'console:info', sender: SenderInfo, extensionId: string): Promise<ConsoleInfoReply>;
  function handle(type: 'console:export', sender: SenderInfo, extensionId: string): Promise<ConsoleExportReply>;
  function handle(type: 'console:options', sender: SenderInfo, extensionId: string): Promise<void>;
  async function handle(type: 'console:info' | 'console:export' | 'console:options', rawSender: SenderInfo, extensionId: string) {
    const sender = checkSender(rawSender, extensionId);
    // Parsing drops any field a future change might add by mistake: replies carry only the protocol's fields.
    if (type === 'console:info') return consoleInfoReplySchema.parse(await info(sender));
    if (type === 'console:export') return consoleExportReplySchema.parse(await exportFor(sender));
    if (type === 'console:options') return openOptions(sender);
    throw refused(t('error_refused_unknownType', String(type)));
  }

  return { handle };
}

function scrubberFor(instance: ResolvedInstance): (text: string) => string {
  const secrets = [instance.apiKey, instance.password, instance.sessionToken];
  return (text) => redact(text, secrets);
}
