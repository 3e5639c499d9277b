import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { DEFAULT_PAGE_POOL, runInventory, type InventoryOptions } from '../lib/inventory';
import { bucketize } from '../lib/record';
import { buildTestExtension, testExtensionDir } from '../scripts/build-test-extension';
import { OptionsPage } from '../test/e2e/pages/options-page';
import { PopupPage, summaryCounts } from '../test/e2e/pages/popup-page';
import { requireBrowser } from '../test/e2e/support/browsers';
import { launchChromium, type ExtensionBrowser } from '../test/e2e/support/chromium';
import { HALF_DAY_MS } from '../test/e2e/support/fleet';
import type { InstanceSpec } from './fleet';
import { startFleetProcess } from './fleet-process';
import { cpuByKind, cpuSince } from './process-cpu';
import { median, MiB } from './stats';
import { sampleHeap, WorkerSession } from './worker-cdp';

export interface ExtensionScaleOptions {
  instances: number;
  keysPerInstance: number;
  /** The Vault mocks' page cap (docs/contract.md#metadefender-vault: servers cap `count`). */
  pageCap: number;
  latencyMs: number;
  /** Engine and extension refreshes, in turns. */
  rounds: number;
  /** Popup opens timed (after one warm-up) and runs per search query. */
  opens: number;
  /** The unpacked test build to load; default: the e2e run's own, else the shared one rebuilt when stale. */
  extensionDir?: string;
}

export interface SearchTiming {
  query: string;
  medianMs: number;
  runsMs: number[];
  rowsDrawn: number;
  /** The same question as the raw `keys:view` message from the popup page, reply received, nothing drawn (median). */
  messageMs: number;
}

export interface ExtensionScaleResult {
  instances: number;
  keys: number;
  latencyMs: number;
  pageCap: number;
  /** The runInventory call in this process (the CLI's engine), every round. */
  engineRuns: number[];
  engineMs: number;
  /** The extension's refresh, from the message sent to its reply, every round. */
  extensionRuns: number[];
  extensionMs: number;
  /** Requests of one read of every instance. */
  requests: number;
  /** CPU time per run by process kind (processKind), mean over the rounds. */
  cpu: { engine: Record<string, number>; extension: Record<string, number>; workerTransport: Record<string, number> };
  /** The engine's requests replayed with nothing parsed: from Node, and from the extension's service worker. */
  transport: { nodeRuns: number[]; chromiumRuns: number[]; nodeMs: number; chromiumMs: number };
  /** The import's own refresh: a fresh worker, nothing cached yet. */
  importRefreshMs: number;
  worker: { peakUsedMiB: number; peakTotalMiB: number; samples: number; afterRefreshMiB: number; afterPopupMiB: number };
  storage: { cacheBytes: number; totalBytes: number; cacheItems: number };
  popup: {
    warmUpMs: number;
    runsMs: number[];
    medianMs: number;
    paintedRunsMs: number[];
    /** Navigation timing (median): the document's first byte, and the document parsed (its scripts not yet run). */
    responseMs: number;
    parsedMs: number;
    /** Each open: key rows in the DOM minus the document parsed, the part the popup's own code and the worker decide. */
    rowsAfterParsedRunsMs: number[];
    rowsAfterParsedMs: number;
    /** Medians over the opens, after the document parsed: the popup's first `state:get` sent (its scripts loaded and run), and its answer back. */
    stateSentAfterParsedMs: number;
    stateAnsweredAfterParsedMs: number;
    /** The popup's `state:get` question sent as is from an open popup, timed until its reply (median). */
    stateMessageMs: number;
    rowsDrawn: number;
    coldWorkerMs: number;
  };
  search: SearchTiming[];
}

/** Ten Vaults (the vendor that holds thousands of keys) of `keysPerInstance` generated tokens, each its own server. */
export function scaleFleet({ instances, keysPerInstance, pageCap, latencyMs }: Pick<ExtensionScaleOptions, 'instances' | 'keysPerInstance' | 'pageCap' | 'latencyMs'>): InstanceSpec[] {
  return Array.from({ length: instances }, (_, i) => ({ name: `vault-${i}`, vendor: 'metadefender-vault', latencyMs, tokens: keysPerInstance, pageCap }));
}

/** The test build a benchmark loads: the one this test run built, or the shared one, rebuilt only when a source changed. */
async function extensionDirFor(given: string | undefined): Promise<string> {
  if (given) return given;
  if (process.env.KEYATLAS_E2E_BUILD_DIR) return testExtensionDir('chrome');
  return (await buildTestExtension('chrome', { ifStale: true })).dir;
}

export async function benchExtensionScale(options: ExtensionScaleOptions): Promise<ExtensionScaleResult> {
  const executablePath = requireBrowser('chromium');
  const extensionDir = await extensionDirFor(options.extensionDir);
  // The mocks put expiries whole days from their clock: half a day back, days left stay the same
  // for the engine and the extension however far apart they read.
  const fleet = await startFleetProcess(scaleFleet(options), new Date(Date.now() - HALF_DAY_MS));
  const root = mkdtempSync(join(tmpdir(), 'keyatlas-bench-scale-'));
  let browser: ExtensionBrowser | undefined;
  let worker: WorkerSession | undefined;
  // Playwright inspects a service worker's network by default, every fetch reported over the
  // DevTools protocol: a cost the extension never has in a user's browser. Read when a worker
  // (re)starts, so it stays set until the browser is closed.
  const inspecting = process.env.PLAYWRIGHT_DISABLE_SERVICE_WORKER_NETWORK;
  process.env.PLAYWRIGHT_DISABLE_SERVICE_WORKER_NETWORK = '1';
  try {
    browser = await launchChromium({ executablePath, extensionDir, userDataDir: join(root, 'profile'), downloadDir: join(root, 'downloads') });
    const optionsPage = new OptionsPage(await browser.openPage('options.html'));
    await browser.worker();
    worker = await WorkerSession.attach(browser.context.browser()!, `chrome-extension://${browser.extensionId}/`);

    // The import starts a refresh (docs/contract.md#test-ids); asking for one joins it and answers when it is over.
    await optionsPage.importConfig(fleet.config);
    const importRefreshMs = await timedRefresh(optionsPage.page);

    // The engine's own requests, noted once, are replayed below with no parsing: the transport alone.
    const requests: ReplayedRequest[] = [];
    const noting: InventoryOptions = {
      fetchFor: () => (input, init) => {
        requests.push({ url: input, headers: { ...(init?.headers as Record<string, string>) } });
        return globalThis.fetch(input, init);
      },
    };
    const engine = async (inventory: InventoryOptions = {}) => {
      const started = performance.now();
      const { records, results } = await runInventory(fleet.instances, inventory);
      const ms = performance.now() - started;
      const failed = results.filter((r) => !r.ok);
      if (failed.length) throw new Error(`the engine failed: ${failed.map((r) => r.error?.message).join('; ')}`);
      return { ms, records };
    };
    let last = await engine(noting);
    const keys = last.records.length;
    const engineRuns: number[] = [];
    const extensionRuns: number[] = [];
    const engineCpu: Record<string, number>[] = [];
    const extensionCpu: Record<string, number>[] = [];
    for (let round = 0; round < options.rounds; round++) {
      let before = cpuByKind(processKind);
      last = await engine();
      engineCpu.push(cpuSince(before, cpuByKind(processKind)));
      engineRuns.push(last.ms);
      before = cpuByKind(processKind);
      extensionRuns.push(await timedRefresh(optionsPage.page));
      extensionCpu.push(cpuSince(before, cpuByKind(processKind)));
    }
    // The heap in a refresh of its own: reading it every 25 ms costs the worker time the timed ones should not pay.
    await worker.send('HeapProfiler.collectGarbage');
    const sampler = sampleHeap(worker);
    await timedRefresh(optionsPage.page);
    const peak = await sampler.stop();
    const serviceWorker = await browser.worker();
    const transport = { nodeRuns: [] as number[], chromiumRuns: [] as number[] };
    const transportCpu: Record<string, number>[] = [];
    for (let round = 0; round < options.rounds; round++) {
      transport.nodeRuns.push(await replayRequests({ requests, pool: DEFAULT_PAGE_POOL }));
      const before = cpuByKind(processKind);
      transport.chromiumRuns.push(await serviceWorker.evaluate(replayRequests, { requests, pool: DEFAULT_PAGE_POOL }));
      transportCpu.push(cpuSince(before, cpuByKind(processKind)));
    }
    const afterRefreshMiB = await retainedHeapMiB(worker);
    const storage = await storageBytes(optionsPage.page);
    await optionsPage.page.close();

    const opens = [];
    for (let i = 0; i <= options.opens; i++) opens.push(await openPopup(browser));
    const [warmUp, ...timed] = opens;
    const popup = new PopupPage(await browser.openPage('popup.html'));
    await popup.page.getByTestId('key-row').first().waitFor();
    const summary = await popup.summary();
    const expected = bucketize(last.records);
    if (JSON.stringify(summary) !== JSON.stringify(summaryCounts(expected)))
      throw new Error(`the popup shows ${JSON.stringify(summary)}, the engine read ${JSON.stringify(summaryCounts(expected))}`);
    const stateRuns: number[] = [];
    for (let run = 0; run < options.opens; run++) stateRuns.push(await timedMessage(popup.page, 'state:get', undefined));
    const search = [];
    for (const query of searchQueries(options)) search.push(await timeSearch(popup.page, query, options.opens));
    await popup.page.close();
    const afterPopupMiB = await retainedHeapMiB(worker);

    // A popup opened long after the last refresh finds the worker stopped: it starts and reads storage first.
    await worker.detach();
    worker = undefined;
    const stopper = await browser.openPage('options.html');
    await browser.stopServiceWorker(stopper);
    await stopper.close();
    const cold = await openPopup(browser);

    const errors = browser.takeErrors();
    if (errors.length) throw new Error(`the extension logged errors: ${errors.join('; ')}`);
    return {
      instances: options.instances,
      keys,
      latencyMs: options.latencyMs,
      pageCap: options.pageCap,
      engineRuns,
      engineMs: median(engineRuns),
      extensionRuns,
      extensionMs: median(extensionRuns),
      requests: requests.length,
      cpu: { engine: meanByKind(engineCpu), extension: meanByKind(extensionCpu), workerTransport: meanByKind(transportCpu) },
      transport: { ...transport, nodeMs: median(transport.nodeRuns), chromiumMs: median(transport.chromiumRuns) },
      importRefreshMs,
      worker: { peakUsedMiB: peak.peakUsed / MiB, peakTotalMiB: peak.peakTotal / MiB, samples: peak.samples, afterRefreshMiB, afterPopupMiB },
      storage,
      popup: {
        warmUpMs: warmUp!.rowsMs,
        runsMs: timed.map((o) => o.rowsMs),
        medianMs: median(timed.map((o) => o.rowsMs)),
        paintedRunsMs: timed.map((o) => o.paintedMs),
        responseMs: median(timed.map((o) => o.responseMs)),
        parsedMs: median(timed.map((o) => o.parsedMs)),
        rowsAfterParsedRunsMs: timed.map((o) => o.rowsMs - o.parsedMs),
        rowsAfterParsedMs: median(timed.map((o) => o.rowsMs - o.parsedMs)),
        stateSentAfterParsedMs: median(timed.map((o) => o.stateSentMs - o.parsedMs)),
        stateAnsweredAfterParsedMs: median(timed.map((o) => o.stateAnsweredMs - o.parsedMs)),
        stateMessageMs: median(stateRuns),
        rowsDrawn: warmUp!.rows,
        coldWorkerMs: cold.rowsMs,
      },
      search,
    };
  } finally {
    await worker?.detach();
    await browser?.close();
    if (inspecting === undefined) delete process.env.PLAYWRIGHT_DISABLE_SERVICE_WORKER_NETWORK;
    else process.env.PLAYWRIGHT_DISABLE_SERVICE_WORKER_NETWORK = inspecting;
    await fleet.close();
    rmSync(root, { recursive: true, force: true });
  }
}

/** Whose CPU a run costs: the engine (this process), the mocks, and Chromium's processes by role. */
function processKind(command: string, self: boolean): string | undefined {
  if (self) return 'bench process';
  if (command.includes('fleet-process')) return 'mock servers';
  if (!command.includes('chrom')) return undefined;
  const type = /--type=(\S+)/.exec(command)?.[1];
  if (type === undefined) return 'Chromium browser process';
  if (type === 'renderer' && command.includes('--extension-process')) return 'extension renderer (service worker)';
  if (command.includes('NetworkService')) return 'Chromium network service';
  return 'other Chromium processes';
}

function meanByKind(runs: readonly Record<string, number>[]): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const run of runs) for (const [kind, ms] of Object.entries(run)) sums[kind] = (sums[kind] ?? 0) + ms / runs.length;
  return sums;
}

export interface ReplayedRequest {
  url: string;
  headers: Record<string, string>;
}

/**
 * Sends every request again, `pool` at a time per server and every server at once, and reads each
 * body, parsing nothing: the transport's own time. Runs in Node and, handed to Playwright as is, in
 * the service worker (so no named inner functions: tsx's name helper does not exist there).
 */
export async function replayRequests({ requests, pool }: { requests: ReplayedRequest[]; pool: number }): Promise<number> {
  const byServer = new Map<string, ReplayedRequest[]>();
  for (const request of requests) {
    const server = new URL(request.url).origin;
    const list = byServer.get(server);
    if (list) list.push(request);
    else byServer.set(server, [request]);
  }
  const started = performance.now();
  await Promise.all(
    [...byServer.values()].map(async (list) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: pool }, async () => {
          while (next < list.length) {
            const { url, headers } = list[next++]!;
            await (await fetch(url, { headers, cache: 'no-store' })).text();
          }
        }),
      );
    }),
  );
  return performance.now() - started;
}

function searchQueries({ instances, keysPerInstance }: ExtensionScaleOptions): string[] {
  // Every key ("generated token …"), one instance's keys, one token per instance, and none.
  return ['e', `vault-${instances - 1}`, `token ${keysPerInstance}`, 'no-such-key-anywhere'];
}

/**
 * Asks the background for a refresh from an extension page, as the popup's button does (the
 * @webext-core/messaging envelope of ext/messaging.ts), timed inside the page until the reply,
 * which comes when the run, its cache writes, checkpoints and badge are done.
 */
async function timedRefresh(page: Page): Promise<number> {
  const { ms, reply } = await page.evaluate(async () => {
    const runtime = (globalThis as unknown as { chrome: { runtime: { sendMessage(message: unknown): Promise<unknown> } } }).chrome.runtime;
    const started = performance.now();
    const reply = await runtime.sendMessage({ id: 1, type: 'refresh', data: {}, timestamp: Date.now() });
    return { ms: performance.now() - started, reply: JSON.stringify(reply) };
  });
  if (reply !== JSON.stringify({ res: { ok: true } })) throw new Error(`the refresh failed: ${reply}`);
  return ms;
}

async function retainedHeapMiB(worker: WorkerSession): Promise<number> {
  await worker.send('HeapProfiler.collectGarbage');
  return (await worker.heap()).usedSize / MiB;
}

/** `chrome.storage.local.getBytesInUse` of the popup cache's items, and of everything the extension stores. */
async function storageBytes(page: Page): Promise<ExtensionScaleResult['storage']> {
  return page.evaluate(async () => {
    const local = (globalThis as unknown as { chrome: { storage: { local: { get(keys: null): Promise<Record<string, unknown>>; getBytesInUse(keys: string[] | null): Promise<number> } } } }).chrome.storage.local;
    const cacheKeys = Object.keys(await local.get(null)).filter((key) => key.startsWith('cache'));
    return { cacheBytes: await local.getBytesInUse(cacheKeys), totalBytes: await local.getBytesInUse(null), cacheItems: cacheKeys.length };
  });
}

/**
 * A fresh popup page; inside it, from navigation start (`performance.now()`'s origin) until the
 * first key rows are in the DOM (and how many), until the frame after that has been produced, and
 * the navigation timing of the document itself.
 */
async function openPopup(
  browser: ExtensionBrowser,
): Promise<{ rowsMs: number; rows: number; paintedMs: number; responseMs: number; parsedMs: number; stateSentMs: number; stateAnsweredMs: number }> {
  const page = await browser.context.newPage();
  try {
    await page.addInitScript(() => {
      const seen: { rowsMs?: number; rows?: number; paintedMs?: number; stateSentMs?: number; stateAnsweredMs?: number } = {};
      (globalThis as unknown as { keyatlasBench: typeof seen }).keyatlasBench = seen;
      new MutationObserver((_, observer) => {
        const rows = document.querySelectorAll('[data-testid="key-row"]').length;
        if (!rows) return;
        observer.disconnect();
        Object.assign(seen, { rowsMs: performance.now(), rows });
        requestAnimationFrame(() => setTimeout(() => (seen.paintedMs = performance.now())));
      }).observe(document, { childList: true, subtree: true });
      // When the popup's code asks for its first state (its scripts loaded and run) and when the answer is back; passed on unchanged.
      const runtime = (globalThis as unknown as { chrome: { runtime: { sendMessage(...args: unknown[]): Promise<unknown> } } }).chrome.runtime;
      const send = runtime.sendMessage;
      runtime.sendMessage = function (this: unknown, ...args: unknown[]) {
        if (seen.stateSentMs !== undefined || (args[0] as { type?: string } | undefined)?.type !== 'state:get') return send.apply(this, args);
        // The messaging library passes a callback; a caller without one gets the promise. (No named
        // helper in here: tsx's keep-names wrapper does not exist in the page.)
        const callback = args[args.length - 1];
        if (typeof callback === 'function')
          args[args.length - 1] = function (this: unknown, ...response: unknown[]) {
            seen.stateAnsweredMs ??= performance.now();
            return (callback as (...a: unknown[]) => unknown).apply(this, response);
          };
        seen.stateSentMs = performance.now();
        const reply = send.apply(this, args);
        if (typeof callback !== 'function') void Promise.resolve(reply).then(() => (seen.stateAnsweredMs ??= performance.now()));
        return reply;
      };
    });
    await page.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    type Seen = { keyatlasBench: { rowsMs: number; rows: number; paintedMs?: number; stateSentMs?: number; stateAnsweredMs?: number } };
    await page.waitForFunction(() => (globalThis as unknown as Seen).keyatlasBench.paintedMs !== undefined, undefined, { timeout: 60_000 });
    const timing = await page.evaluate(() => {
      const seen = (globalThis as unknown as Seen).keyatlasBench;
      // Chrome's part before any of the popup's code can run: up to the document's first byte, and until it is parsed.
      const [navigation] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
      return { ...seen, paintedMs: seen.paintedMs!, responseMs: navigation!.responseStart, parsedMs: navigation!.domInteractive };
    });
    const { stateSentMs, stateAnsweredMs } = timing;
    if (stateSentMs === undefined || stateAnsweredMs === undefined) throw new Error('the popup drew its key rows without a state:get seen going out and coming back');
    return { ...timing, stateSentMs, stateAnsweredMs };
  } finally {
    await page.close();
  }
}

/**
 * Types `query` into `key-search` (one input event, as a paste) and times inside the page until the
 * key list shows its answer: the change that clears the section's `aria-busy` (the answer's first
 * rows are drawn in that same commit). Then waits until the section is quiet, so the next run
 * starts from the empty search (emptied after each run, not timed); the rows counted are all drawn.
 */
async function timeSearch(page: Page, query: string, runs: number): Promise<SearchTiming> {
  const runsMs: number[] = [];
  let rowsDrawn = 0;
  for (let run = 0; run < runs; run++) {
    for (const text of [query, '']) {
      const timing = await page.evaluate(async (value) => {
        const section = document.querySelector('[data-testid="key-search"]')!.closest('section')!;
        const input = section.querySelector<HTMLInputElement>('[data-testid="key-search"]')!;
        let last = 0;
        let answered: number | undefined;
        const observer = new MutationObserver((records) => {
          last = performance.now();
          // The commit that draws the answer is the one that clears `aria-busy`.
          if (records.some((r) => r.target === section && r.attributeName === 'aria-busy' && r.oldValue === 'true')) answered ??= last;
        });
        observer.observe(section, { childList: true, subtree: true, characterData: true, attributes: true, attributeOldValue: true });
        const started = performance.now();
        input.value = value;
        input.dispatchEvent(new Event('input', { bubbles: true }));
        // A loop, not a named helper: tsx's keep-names wrapper does not exist in the page.
        for (;;) {
          await new Promise((resolve) => setTimeout(resolve, 10));
          const now = performance.now();
          if (section.getAttribute('aria-busy') !== 'true' && now - (last || started) > 150) break;
          if (now - started > 30_000) throw new Error(`no answer to the search "${value}"`);
        }
        observer.disconnect();
        return { ms: answered === undefined ? undefined : answered - started, rows: section.querySelectorAll('[data-testid="key-row"]').length };
      }, text);
      if (text) {
        if (timing.ms === undefined) throw new Error(`the popup never marked the search "${query}" busy and then answered`);
        runsMs.push(timing.ms);
        rowsDrawn = timing.rows;
      }
    }
  }
  const messageRuns: number[] = [];
  for (let run = 0; run < runs; run++) messageRuns.push(await timedMessage(page, 'keys:view', { query, within: 'all' }));
  return { query, medianMs: median(runsMs), runsMs, rowsDrawn, messageMs: median(messageRuns) };
}

/** One of the popup's questions sent as is from the page (the @webext-core/messaging envelope), timed until its reply. */
async function timedMessage(page: Page, type: string, data: unknown): Promise<number> {
  return page.evaluate(
    async ({ type, data }) => {
      const runtime = (globalThis as unknown as { chrome: { runtime: { sendMessage(message: unknown): Promise<unknown> } } }).chrome.runtime;
      const started = performance.now();
      const reply = (await runtime.sendMessage({ id: 1, type, data, timestamp: Date.now() })) as { res?: unknown };
      if (reply?.res === undefined) throw new Error(`${type} answered ${JSON.stringify(reply).slice(0, 200)}`);
      return performance.now() - started;
    },
    { type, data },
  );
}
