import type { CliStartupResult } from './cli-startup';
import type { CliExportResult, CsvResult } from './csv-export';
import type { EngineCpuResult } from './engine-cpu';
import type { ExtensionScaleResult } from './extension-scale';
import type { MultiInstanceResult } from './multi-instance';
import type { PagingResult } from './paging';
import type { PopupRenderResult } from './popup-render';
import type { BundleSizes } from './popup-size';
import { check, type Fact, type Section } from './report';

/** docs/benchmarks.md#budgets. */
export const LIMITS = {
  instancesRatio: 1.2,
  fleetRatio: 1.3,
  pagingRatio: 1.2,
  csvMs: 1_000,
  csvHeapMiB: 150,
  csvOverPapa: 1.2,
  cliStartupRatio: 2,
  popupGzipKb: 20,
  popupRenderMs: 100,
  extensionOverEngine: 1.3,
  /** One frame at 60 Hz: a search that answers within it never drops a frame. */
  frameMs: 1000 / 60,
  // Third release: against floors.
  engineOverJsonParse: 3,
  fleetOverMinimalReader: 1.05,
  extensionOverWorkerTransport: 1.25,
  popupRowsAfterParsedMs: 50,
};

/** Each instance alone, one row each, for a fleet small enough to read. */
const MAX_LISTED_INSTANCES = 10;

function concurrencyFacts(r: MultiInstanceResult): Fact[] {
  const facts: Fact[] = [
    ...(r.instances.length <= MAX_LISTED_INSTANCES
      ? r.instances.map((i) => ({
          label: `${i.name} (${i.vendor}, ${i.latencyMs} ms latency) alone`,
          value: `${Math.round(i.alone.spanMs)} ms, ${i.alone.requests} requests, ${i.alone.keys} keys`,
        }))
      : [{ label: 'instances, requests, keys (one read of all)', value: `${r.instances.length}, ${r.concurrent.requests}, ${r.concurrent.keys}` }]),
    { label: `slowest alone (${r.slowest})`, value: r.slowestAlone.spanMs, unit: 'ms' },
    { label: `all ${r.instances.length} together, first request → last response`, value: r.concurrent.spanMs, unit: 'ms' },
    { label: 'all together, the runInventory call', value: r.concurrent.callMs, unit: 'ms' },
    { label: 'all together, every round', value: r.concurrentRuns.map((ms) => `${Math.round(ms)} ms`).join(', ') },
    { label: 'all together, requests in flight at once: in total (client)', value: r.concurrent.maxInFlight },
    { label: 'all together, requests in flight at once: on the busiest server', value: r.concurrent.maxInFlightPerServer },
  ];
  if (r.sequential)
    facts.push(
      { label: 'one after another, one page at a time (the script way)', value: r.sequential.spanMs, unit: 'ms' },
      { label: 'speed-up over one after another', value: r.sequential.spanMs / r.concurrent.spanMs, unit: '×' },
    );
  facts.push({ label: 'each alone, added up', value: r.sumOfAloneMs, unit: 'ms' });
  if (r.cli)
    facts.push(
      { label: '`keyatlas export` whole process over the same consoles (median)', value: r.cli.wallMs, unit: 'ms' },
      { label: '`keyatlas export` peak RSS', value: r.cli.maxRssMiB, unit: 'MiB' },
    );
  return facts;
}

const CONCURRENCY_METHOD =
  'Each instance is its own mock server on 127.0.0.1 (test/mock-vendors) with its own injected latency per request. ' +
  'The servers all run in one child Node process (bench/fleet-process.ts), so their CPU (HTTP, JSON of thousands of tokens, latency timers) is not billed to the process that runs the engine; on this 2-core machine both still share the same cores, with whatever else runs. ' +
  '`runInventory` is timed by wrapping fetch (`InventoryOptions.fetchFor`): from the first request sent to the last response body read; the same wrapper counts the requests in flight at once, and each mock server counts its own (the busiest is reported). ' +
  'After one warm-up pass, each round times every instance alone and then all of them together (default pools); the medians over the rounds are compared.';

export function multiInstanceSection(r: MultiInstanceResult): Section {
  return {
    id: 'multi-instance',
    title: 'Many instances',
    goals: [check('all together ÷ slowest alone', r.concurrent.spanMs / r.slowestAlone.spanMs, LIMITS.instancesRatio, '×')],
    facts: concurrencyFacts(r),
    method:
      CONCURRENCY_METHOD +
      ' The one-after-another baseline is `concurrency: 1, pagePool: 1`. ' +
      'The whole-process time spawns `cli/keyatlas.ts export --quiet --out FILE` through tsx (as `npm run keyatlas` does) against the same servers, from spawn to exit, Node start-up included; ' +
      'its peak RSS is `process.resourceUsage().maxRSS`, written at exit by a module loaded with `--import` (bench/child-usage.ts).',
    raw: r,
  };
}

export function fleetSection(r: MultiInstanceResult): Section {
  return {
    id: 'fleet',
    title: 'Fleet',
    goals: [
      check(`${r.instances.length} instances together ÷ slowest alone`, r.concurrent.spanMs / r.slowestAlone.spanMs, LIMITS.fleetRatio, '×'),
      check('requests at once on one server ≤ page pool', r.concurrent.maxInFlightPerServer, r.pagePool, ''),
      ...(r.minimal ? [check(`${r.instances.length} instances together: engine ÷ a minimal reader of the same consoles (median)`, r.concurrent.spanMs / r.minimal.spanMs, LIMITS.fleetOverMinimalReader, '×', () => fleetMissReason(r))] : []),
    ],
    facts: [
      ...concurrencyFacts(r),
      ...(r.minimal
        ? [
            { label: 'minimal reader (bench/minimal-reader.ts), all together, first request → last response (median)', value: r.minimal.spanMs, unit: 'ms' },
            { label: 'minimal reader, every round', value: r.minimal.runs.map((ms) => `${Math.round(ms)} ms`).join(', ') },
            { label: 'requests of one read: the engine; the minimal reader', value: `${r.concurrent.requests}; ${r.minimal.requests}` },
            { label: 'minimal reader ÷ slowest alone (the floor’s own ratio)', value: r.minimal.spanMs / r.slowestAlone.spanMs, unit: '×' },
          ]
        : []),
    ],
    method:
      CONCURRENCY_METHOD +
      ` The fleet (bench/multi-instance.ts \`FLEET_50\` in \`npm run bench\`): ten consoles of each vendor, every request pattern (Core by key and by login, XSOAR standard and advanced), Vaults of 3,000 tokens (100 a page) and of 200 (50 a page). ` +
      'The minimal reader (bench/minimal-reader.ts) reads the same consoles in turns with the engine, in each round right after it, timed by the same fetch wrapper: the same calls and pools (every instance at once; Core’s and Storage’s calls in the engine’s order; Vault’s first page, then the pages its count implies six at a time, then one request that must come back empty, as a complete read must end; XSOAR’s pages likewise, its advanced key hashed the same way), each reply `JSON.parse`d and one plain object kept per key — no validation, dates, records, error handling, retries, and no overlapping pages (the engine’s pages overlap by one key to catch a list that moves while it is read, hence its extra requests, both counts listed); both must read the same number of keys.',
    raw: r,
  };
}

function fleetMissReason(r: MultiInstanceResult): string {
  const minimal = r.minimal!;
  const more = Object.entries(r.concurrent.routes)
    .map(([route, n]) => [route, n - (minimal.routes[route] ?? 0)] as const)
    .filter(([, extra]) => extra > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([route, extra]) => `${extra} × ${route}`)
    .join(', ');
  return (
    `the engine's read spanned ${ms(r.concurrent.spanMs)} to the minimal reader's ${ms(minimal.spanMs)}. ` +
    `It sent ${r.concurrent.requests} requests to the reader's ${minimal.requests}, more of these: ${more || 'none'} ` +
    '(paged lists overlap by one key, so a list that moves while it is read is caught, docs/completeness.md; role names and user lists say whose each key is, docs/owners.md). ' +
    `It used ${ms(r.concurrent.cpuMs)} of CPU to the reader's ${ms(minimal.cpuMs)} in the bench process (those requests, validation, dates, records, the ledger), on cores it shares with the mock consoles' process`
  );
}

const ms = (value: number) => `${Math.round(value).toLocaleString('en-US')} ms`;

export function pagingSection(r: PagingResult): Section {
  return {
    id: 'paging',
    title: 'Paged vendor (Vault)',
    goals: [
      check(`${r.tokens.toLocaleString('en-US')} tokens: wall ÷ ideal`, r.wallMs / r.idealMs, LIMITS.pagingRatio, '×'),
      check('requests at once on the server ≤ page pool', r.maxInFlight, r.pool, ''),
    ],
    facts: [
      { label: 'tokens, server page cap, pages', value: `${r.tokens}, ${r.pageCap}, ${r.pages}` },
      { label: 'injected latency per request', value: r.latencyMs, unit: 'ms' },
      { label: 'page pool', value: r.pool },
      { label: 'one round trip (median)', value: r.roundTripMs, unit: 'ms' },
      { label: 'parse time: every page replayed with no network', value: r.parseMs, unit: 'ms' },
      { label: `ideal: (1 + ceil(${r.pages - 1} / ${r.pool})) = ${r.idealRoundTrips} round trips + parse`, value: r.idealMs, unit: 'ms' },
      { label: 'measured: the runInventory call (median)', value: r.wallMs, unit: 'ms' },
      { label: 'measured, every round', value: r.wallRuns.map((ms) => `${Math.round(ms)} ms`).join(', ') },
      { label: 'first request → last response (median)', value: r.spanMs, unit: 'ms' },
      { label: 'requests per read', value: r.requests },
      { label: 'server.maxInFlight', value: r.maxInFlight },
    ],
    method:
      `A Vault mock holding ${r.tokens} generated tokens caps each page at ${r.pageCap} (Vault servers cap \`count\`, docs/contract.md#metadefender-vault) and waits ${r.latencyMs} ms before every answer. ` +
      'The round trip is the median of 5 single `GET /vault_rest/tokens/0/100` requests with their bodies read. ' +
      'Parse time is the same inventory with fetch replaced by one that serves the recorded page bodies at once, so only the client work (JSON, zod, records) is left. ' +
      'The measured time is the `runInventory` call for that one instance, median of 3 after a warm-up. ' +
      "The mock counts requests in flight; more than the pool at any moment stops the benchmark with an error.",
    raw: r,
  };
}

export function csvSection(csv: CsvResult, cli: CliExportResult): Section {
  const m = csv.memory;
  return {
    id: 'csv',
    title: 'CSV',
    goals: [
      check(`toCsv, ${m.rows.toLocaleString('en-US')} rows, first call in a fresh process`, csv.timing.coldMs, LIMITS.csvMs, 'ms'),
      check('peak heap: records + serializing', m.peakMiB, LIMITS.csvHeapMiB, 'MiB'),
      check('toCsv ÷ bare Papa.unparse of the same cells (later calls, same process)', csv.timing.warmMs / csv.timing.papaMs, LIMITS.csvOverPapa, '×'),
    ],
    facts: [
      { label: 'toCsv, first call: CPU time of all threads (V8’s GC helpers included)', value: csv.timing.coldCpuMs, unit: 'ms' },
      { label: 'toCsv, later calls (median)', value: csv.timing.warmMs, unit: 'ms' },
      { label: 'bare `Papa.unparse` of the same cells, already sorted and built (median)', value: csv.timing.papaMs, unit: 'ms' },
      { label: 'plain join of the same cells, no quoting (median)', value: csv.timing.joinMs, unit: 'ms' },
      { label: "toCsv's own parts: sorting the records (docs/contract.md#sorting order, median)", value: csv.timing.sortMs, unit: 'ms' },
      { label: "toCsv's own parts: building every row's cells (median)", value: csv.timing.cellsMs, unit: 'ms' },
      { label: 'CSV size', value: csv.timing.bytes / 1e6, unit: 'MB' },
      { label: 'heap at start (after gc)', value: m.baselineMiB, unit: 'MiB' },
      { label: 'heap with the records (after gc)', value: m.recordsMiB, unit: 'MiB' },
      { label: 'peak heap while serializing', value: m.peakMiB, unit: 'MiB' },
      { label: 'heap with records and CSV text (after gc)', value: m.retainedMiB, unit: 'MiB' },
      { label: `\`keyatlas export\` of ${cli.tokens.toLocaleString('en-US')} Vault tokens, whole process`, value: cli.wallMs, unit: 'ms' },
      { label: '`keyatlas export` peak RSS', value: cli.maxRssMiB, unit: 'MiB' },
      { label: '`keyatlas export` peak heap (GC trace)', value: cli.peakHeapMiB, unit: 'MiB' },
    ],
    method:
      `${m.rows.toLocaleString('en-US')} KeyRecords (bench/records.ts: all vendors, unsorted expiries, quotes, line breaks, formula triggers, non-ASCII, 40-character keys) are built with \`finishRecord\` and written with \`toCsv(records, { keys: 'masked' })\`. ` +
      'Time: a fresh Node process builds the records, then times the first `toCsv` call (the one the CLI makes) and 3 more. ' +
      'After each `toCsv` call the same process times `Papa.unparse` of the same cells (header included; sorted, key-masked and guarded beforehand with `csvCells`, so only papaparse is left) and a plain `join` of them, and, after all rounds, toCsv’s own two parts alone: `sortRecords` of the records and `csvCells` of every sorted record; the ratio compares the medians of the later calls. ' +
      'Heap: another fresh process started with `--expose-gc --trace-gc` collects garbage twice (baseline), builds the records, collects again (so the generator’s garbage does not count), serializes, reads `process.memoryUsage().heapUsed`, then collects a fourth time. ' +
      'The heap only grows between collections, so its peak while serializing is the largest “before” size V8 prints for the collections between the third and fourth explicit ones (the fourth included), or the `heapUsed` read right after `toCsv` if higher; that absolute value is compared with the budget. ' +
      `End to end: a Vault mock with ${cli.tokens.toLocaleString('en-US')} tokens (100 a page, no latency) and \`keyatlas export --out FILE --quiet\` spawned through tsx; peak RSS from \`process.resourceUsage().maxRSS\` at exit (bench/child-usage.ts), peak heap from its \`--trace-gc\` output; the file is checked to hold every row.`,
    raw: { csv, cli },
  };
}

export function popupSizeSection(sizes: BundleSizes): Section {
  return {
    id: 'popup-size',
    title: 'Popup size',
    goals: [check('popup JS, gzip', sizes.popupGzipBytes / 1000, LIMITS.popupGzipKb, 'kB')],
    facts: [
      ...sizes.popupJs.map((f) => ({ label: f.file, value: `${(f.bytes / 1000).toFixed(1)} kB, ${(f.gzipBytes / 1000).toFixed(1)} kB gzip` })),
      { label: 'background.js (report only)', value: `${(sizes.background.bytes / 1000).toFixed(1)} kB, ${(sizes.background.gzipBytes / 1000).toFixed(1)} kB gzip` },
      { label: 'built for this run', value: sizes.built ? 'yes' : 'no, .output/chrome-mv3 was current' },
    ],
    method:
      '`wxt build` (Chrome MV3, without KEYATLAS_TEST_HOSTS) when .output/chrome-mv3 is missing or older than any source file; then every JS file popup.html loads before the popup runs — its module scripts, its `modulepreload` links and their static imports, not `import()` — each gzipped at zlib’s default level, summed.',
    raw: sizes,
  };
}

export function popupRenderSection(render: PopupRenderResult): Section {
  return {
    id: 'popup-render',
    title: 'Popup first render',
    goals: [check(`${render.keys.toLocaleString('en-US')} cached keys (median)`, render.medianMs, LIMITS.popupRenderMs, 'ms')],
    facts: [
      { label: 'warm-up run', value: render.warmUpMs, unit: 'ms' },
      { label: 'every run', value: render.runsMs.map((ms) => `${Math.round(ms)} ms`).join(', ') },
      { label: 'key rows in the first frame (the rest right after it)', value: render.rowsDrawn },
      { label: 'of which the background counting the keys and picking the first rows (overview, alone)', value: render.overviewMs, unit: 'ms' },
      { label: `of which reading the ${(render.stateBytes / 1e3).toFixed(1)} kB state message (JSON.parse, alone)`, value: render.parseMs, unit: 'ms' },
    ],
    method:
      'The popup’s real `App`, bundled with esbuild with `ext/messaging` replaced by a stub that answers `state:get` as the background does: at each call the background’s own `overview` (ext/background/key-view.ts) counts the cached keys (test/support/ui-fixtures `manyKeys`, held as a worker holds them, in columns) and picks the first rows, and the state goes through JSON as a message would; rendered in happy-dom in a fresh Node process. ' +
      'Timed from the `render` call until the key rows are in the DOM (effects run on happy-dom’s animation frame); one warm-up, then the median of the runs, with a `gc()` before each, as each popup opens on a fresh page. The summary count is checked against the state. ' +
      'happy-dom does no layout or paint, so a browser adds those on top.',
    raw: render,
  };
}

export function cliStartupSection(r: CliStartupResult): Section {
  return {
    id: 'cli-startup',
    title: 'Installed CLI start-up',
    goals: [check('`keyatlas --help` ÷ `node -e 0` (median)', r.helpMs / r.nodeMs, LIMITS.cliStartupRatio, '×')],
    facts: [
      { label: 'tarball', value: r.tarball },
      { label: '`keyatlas --help`, installed (median)', value: r.helpMs, unit: 'ms' },
      { label: '`keyatlas --help`, every run', value: r.helpRuns.map((ms) => `${Math.round(ms)} ms`).join(', ') },
      { label: '`node -e 0` (median)', value: r.nodeMs, unit: 'ms' },
      { label: '`node -e 0`, every run', value: r.nodeRuns.map((ms) => `${Math.round(ms)} ms`).join(', ') },
    ],
    method:
      '`scripts/build-cli.mjs` builds dist/cli, `npm pack` packs it, then `npm install TARBALL` into an empty folder as a user would (runtime dependencies only). ' +
      '`node node_modules/keyatlas/bin/keyatlas.mjs --help` and `node -e 0` are spawned in turns, spawn to exit; one warm-up pair, then the medians are compared.',
    raw: r,
  };
}

const cpuText = (byKind: Record<string, number>) =>
  Object.entries(byKind)
    .filter(([, ms]) => ms >= 1)
    .sort((a, b) => b[1] - a[1])
    .map(([kind, ms]) => `${kind} ${Math.round(ms).toLocaleString('en-US')} ms`)
    .join('; ') || 'not measured (no /proc)';

export function extensionScaleSection(r: ExtensionScaleResult): Section {
  const keys = r.keys.toLocaleString('en-US');
  const worst = r.search.reduce((a, b) => (b.medianMs > a.medianMs ? b : a));
  return {
    id: 'extension-scale',
    title: 'Extension at scale',
    goals: [
      check(`refresh of ${keys} keys over ${r.instances} instances: extension ÷ the service worker's bare transport of the same requests (median)`, r.extensionMs / r.transport.chromiumMs, LIMITS.extensionOverWorkerTransport, '×', () =>
        `the refresh took ${ms(r.extensionMs)} to the worker's bare transport's ${ms(r.transport.chromiumMs)}; CPU per refresh by process: ${cpuText(r.cpu.extension)}, against the bare transport's ${cpuText(r.cpu.workerTransport)}: the difference is the engine's work in the worker (validation, dates, records, the ledger) and the cache it writes`,
      ),
      check(`refresh of ${keys} keys over ${r.instances} instances: extension ÷ CLI engine (median)`, r.extensionMs / r.engineMs, LIMITS.extensionOverEngine, '×', () =>
        `the same requests with nothing parsed take ${ms(r.transport.chromiumMs)} from the service worker and ${ms(r.transport.nodeMs)} from Node (${(r.transport.chromiumMs / r.transport.nodeMs).toFixed(2)}×): the browser's own transport is the larger part of the gap, and the worker's refresh is ${(r.extensionMs / r.transport.chromiumMs).toFixed(2)}× that transport where the CLI engine is ${(r.engineMs / r.transport.nodeMs).toFixed(2)}× Node's`,
      ),
      check(`popup first render, ${keys} keys cached (median of ${r.popup.runsMs.length} opens)`, r.popup.medianMs, LIMITS.popupRenderMs, 'ms', () =>
        `Chrome had the document parsed ${ms(r.popup.parsedMs)} after navigation started, before any of the popup's code ran; the rest is the popup's: see the rows-after-parse breakdown`,
      ),
      check(`popup, ${keys} keys cached: key rows drawn after the document is parsed (median of ${r.popup.runsMs.length} opens)`, r.popup.rowsAfterParsedMs, LIMITS.popupRowsAfterParsedMs, 'ms', () =>
        `after the document was parsed, the popup's code sent its first state:get at ${ms(r.popup.stateSentAfterParsedMs)} (its scripts loaded and run), the answer was back at ${ms(r.popup.stateAnsweredAfterParsedMs)} (the same question from an already open popup: ${ms(r.popup.stateMessageMs)}), and the rows were drawn at ${ms(r.popup.rowsAfterParsedMs)}`,
      ),
      check(`key-search over ${keys} keys, input → answer drawn (worst query, median)`, worst.medianMs, LIMITS.frameMs, 'ms', () =>
        `the worst query ("${worst.query}") took ${worst.medianMs.toFixed(1)} ms, of which its keys:view message alone takes ${worst.messageMs.toFixed(1)} ms; the rest is the keystroke's own update and drawing ${worst.rowsDrawn} rows`,
      ),
    ],
    facts: [
      { label: 'instances, keys, page cap, injected latency', value: `${r.instances} Vaults, ${keys} keys, ${r.pageCap} a page, ${r.latencyMs} ms` },
      { label: 'CLI engine (runInventory in Node), median', value: r.engineMs, unit: 'ms' },
      { label: 'CLI engine, every round', value: r.engineRuns.map((ms) => `${Math.round(ms)} ms`).join(', ') },
      { label: 'extension refresh (message → reply), median', value: r.extensionMs, unit: 'ms' },
      { label: 'extension refresh, every round', value: r.extensionRuns.map((ms) => `${Math.round(ms)} ms`).join(', ') },
      { label: 'extension refresh started by the import (fresh worker, empty cache)', value: r.importRefreshMs, unit: 'ms' },
      { label: 'requests of one read of every instance', value: r.requests },
      { label: 'CPU per engine run (mean): by process', value: cpuText(r.cpu.engine) },
      { label: 'CPU per extension refresh (mean): by process', value: cpuText(r.cpu.extension) },
      { label: 'CPU per bare transport from the service worker (mean): by process', value: cpuText(r.cpu.workerTransport) },
      { label: 'the same requests, bodies read, nothing parsed: from Node (median)', value: r.transport.nodeMs, unit: 'ms' },
      { label: 'the same requests, bodies read, nothing parsed: from the service worker (median)', value: r.transport.chromiumMs, unit: 'ms' },
      { label: 'the same requests: every round, from Node; from the service worker', value: `${r.transport.nodeRuns.map((ms) => Math.round(ms)).join(', ')} ms; ${r.transport.chromiumRuns.map((ms) => Math.round(ms)).join(', ')} ms` },
      { label: 'CLI engine ÷ Node’s bare transport of the same requests', value: r.engineMs / r.transport.nodeMs, unit: '×' },
      { label: 'service worker peak JS heap during a refresh (used; committed)', value: `${r.worker.peakUsedMiB.toFixed(1)} MiB; ${r.worker.peakTotalMiB.toFixed(1)} MiB (${r.worker.samples} samples)` },
      { label: 'service worker heap after the refreshes (after GC)', value: r.worker.afterRefreshMiB, unit: 'MiB' },
      { label: 'service worker heap after the popup opens and searches (after GC)', value: r.worker.afterPopupMiB, unit: 'MiB' },
      { label: `the cache in storage.local (${r.storage.cacheItems} items, getBytesInUse)`, value: r.storage.cacheBytes / 1e6, unit: 'MB' },
      { label: 'the cache per key', value: r.storage.cacheBytes / r.keys, unit: 'bytes' },
      { label: 'everything in storage.local', value: r.storage.totalBytes / 1e6, unit: 'MB' },
      { label: 'popup: warm-up open', value: r.popup.warmUpMs, unit: 'ms' },
      { label: 'popup: key rows in the DOM, every open', value: r.popup.runsMs.map((ms) => `${Math.round(ms)} ms`).join(', ') },
      { label: 'popup: the frame after them produced, every open', value: r.popup.paintedRunsMs.map((ms) => `${Math.round(ms)} ms`).join(', ') },
      { label: 'popup: of which before its code runs: first byte of the document; document parsed (median)', value: `${Math.round(r.popup.responseMs)} ms; ${Math.round(r.popup.parsedMs)} ms` },
      { label: 'popup: key rows in the DOM after the document was parsed, every open', value: r.popup.rowsAfterParsedRunsMs.map((ms) => `${Math.round(ms)} ms`).join(', ') },
      { label: 'popup: after the document was parsed, its first state:get sent; answered (medians)', value: `${r.popup.stateSentAfterParsedMs.toFixed(1)} ms; ${r.popup.stateAnsweredAfterParsedMs.toFixed(1)} ms` },
      { label: 'popup: a state:get message alone, from an open popup (median)', value: r.popup.stateMessageMs, unit: 'ms' },
      { label: 'popup: key rows in the first frame (the rest right after it)', value: r.popup.rowsDrawn },
      { label: 'popup opened with the service worker stopped (it starts and reads storage)', value: r.popup.coldWorkerMs, unit: 'ms' },
      ...r.search.map((q) => ({
        label: `key-search "${q.query}" (${q.rowsDrawn} rows drawn): median; every run; the keys:view message alone (median)`,
        value: `${q.medianMs.toFixed(1)} ms; ${q.runsMs.map((ms) => ms.toFixed(1)).join(', ')}; ${q.messageMs.toFixed(1)} ms`,
      })),
    ],
    method:
      `${r.instances} MetaDefender Vault mocks (test/mock-vendors), each its own server on 127.0.0.1 with ${r.latencyMs} ms injected latency and ${(r.keys / r.instances).toLocaleString('en-US')} generated tokens (${r.pageCap} a page), run in a child process (bench/fleet-process.ts). ` +
      'Debian’s Chromium (new headless) loads the test build (scripts/build-test-extension.ts, KEYATLAS_TEST_HOSTS); the options page’s `import-config` imports the fleet’s config, which starts a refresh (not timed beyond the fact above). ' +
      'Then in turns, each round: `runInventory` over the same servers in the bench process (the CLI’s engine), then the extension’s refresh, asked for from an extension page with the `refresh` message the popup’s button sends and timed inside the page until its reply, which comes once every instance is read, cached, checkpointed and the badge set; medians compared. ' +
      'The CPU time of each run is read from /proc (user + system) for the bench process, the mock servers’ process and each Chromium process, summed by role. ' +
      'The transport alone: the requests the engine sent in its first run, replayed with the same headers (six at a time per server, every server at once, as the page pool does) and each body read as text, nothing parsed, from Node’s fetch and from the service worker’s (`cache: no-store`, as the extension asks), in turns, after the timed refreshes; the third-release goal divides the extension’s median refresh by the worker’s median transport (the second release’s goal, the extension ÷ the CLI engine, stays beside it). ' +
      'The worker’s heap is read over the DevTools protocol (`Runtime.getHeapUsage` on the service-worker target) every 25 ms during one more refresh, not timed, that starts after `HeapProfiler.collectGarbage`; “after GC” is a reading right after another collection. ' +
      'Storage: `chrome.storage.local.getBytesInUse` of every `cache…` item after the refreshes. ' +
      'Popup: `popup.html` opened as a fresh tab, one warm-up then the timed opens; an init script’s MutationObserver notes `performance.now()` (whose origin is the navigation start) when the first `key-row` is in the DOM, and again once the next animation frame has run; the `summary-*` counts are checked against the engine’s. The third-release goal is each open’s key-rows time minus its navigation timing’s `domInteractive` (the document parsed, before any of the popup’s scripts run), median over the opens. Where that time goes: the init script also wraps `chrome.runtime.sendMessage` (passing every call on unchanged) to note when the popup’s first `state:get` goes out (its scripts loaded and run) and when its answer is back, each minus `domInteractive`; and the same question sent as is from an open popup, timed until its reply (median of as many runs as opens). ' +
      'Search: in one open popup, each query is put into `key-search` with one input event (as a paste) and timed inside the page by a MutationObserver until the change that clears the list section’s `aria-busy` (the popup sets it while the background’s `keys:view` answer is due, and draws the answer’s first rows in the commit that clears it); every run starts from the empty search (not timed). The message alone: the same question sent from the popup page as a raw `keys:view` message (no day window), timed until its reply, nothing drawn. ' +
      'Last, the worker is stopped as Chrome stops an idle one (`ServiceWorker.stopAllWorkers`) and the popup opened once more.',
    raw: r,
  };
}

function engineMissReason(r: EngineCpuResult): string {
  const parts = r.profile.parts
    .slice(0, 6)
    .map((p) => `${p.part} ${(p.share * 100).toFixed(0)} % (≈ ${ms(p.share * r.engineMs)})`)
    .join(', ');
  const worst = [...r.shapes].sort((a, b) => b.engineMs / b.floorMs - a.engineMs / a.floorMs)[0]!;
  return (
    `the engine took ${ms(r.engineMs)} where a bare JSON.parse of the same replies took ${ms(r.floorMs)}, so ${ms(3 * r.floorMs)} was the allowance. ` +
    `Its profile, self time: ${parts}. ` +
    `Keeping the parsed replies alive alone makes JSON.parse take ${ms(r.keptFloorMs)}: the collector's price for a reader that returns its keys, which the bare floor never pays. ` +
    `The shape furthest from its floor is ${worst.shape} (${(worst.engineMs / worst.floorMs).toFixed(0)}×, ${worst.requests} replies for ${worst.keys.toLocaleString('en-US')} keys${worst.keys <= 10 * worst.instances ? ': the cost of each instance, not of its keys' : ''})`
  );
}

export function engineCpuSection(r: EngineCpuResult): Section {
  const perKey = (ms: number, keys: number) => `${((ms * 1000) / keys).toFixed(1)} µs a key`;
  return {
    id: 'engine-cpu',
    title: 'Engine CPU per key',
    goals: [
      check(`${r.keys.toLocaleString('en-US')} keys' replies, every vendor's shape, no network: runInventory ÷ bare JSON.parse (median)`, r.engineMs / r.floorMs, LIMITS.engineOverJsonParse, '×', () => engineMissReason(r)),
    ],
    facts: [
      { label: 'keys, replies, reply text', value: `${r.keys.toLocaleString('en-US')}, ${r.requests.toLocaleString('en-US')}, ${(r.bytes / 1e6).toFixed(1)} MB` },
      { label: 'runInventory over the replayed replies (median)', value: `${Math.round(r.engineMs).toLocaleString('en-US')} ms (${perKey(r.engineMs, r.keys)})` },
      { label: 'runInventory, every round', value: r.engineRuns.map((ms) => `${Math.round(ms)} ms`).join(', ') },
      { label: 'bare JSON.parse of the same replies (median)', value: `${Math.round(r.floorMs).toLocaleString('en-US')} ms (${perKey(r.floorMs, r.keys)})` },
      { label: 'bare JSON.parse, every round', value: r.floorRuns.map((ms) => `${Math.round(ms)} ms`).join(', ') },
      { label: 'JSON.parse keeping every parsed reply until the end (median; not the goal’s floor, shown for the collector’s share)', value: `${Math.round(r.keptFloorMs).toLocaleString('en-US')} ms (${(r.engineMs / r.keptFloorMs).toFixed(2)}× of it)` },
      ...r.shapes.map((s) => ({
        label: `${s.shape}: ${s.instances} instance${s.instances === 1 ? '' : 's'}, ${s.keys.toLocaleString('en-US')} keys, ${s.requests} replies — engine; JSON.parse; ratio`,
        value: `${s.engineMs.toFixed(1)} ms; ${s.floorMs.toFixed(1)} ms; ${(s.engineMs / s.floorMs).toFixed(1)}×`,
      })),
      ...r.profile.parts
        .filter((p) => p.share >= 0.005)
        .map((p) => ({ label: `where the engine's time goes (profiled run, self time): ${p.part}`, value: `${(p.share * 100).toFixed(1)} % (≈ ${Math.round(p.share * r.engineMs)} ms of the median)` })),
    ],
    method:
      'bench/engine-corpus.ts starts one mock console per shape (test/mock-vendors) and reads the corpus once through `runInventory` over real HTTP, keeping every reply body by request (method, URL, body); the mocks are then closed. ' +
      'The corpus: Vault tokens in its API reference’s snake_case (4 instances of 10,000) and in MFT’s PascalCase (1 of 10,000), Cortex XSOAR keys in its API reference’s DATA/FILTER_COUNT form (4 of 10,000), all 100 a page; Core user lists (10 instances of 980 users, one reply each plus the directories); and 100 Storage Security and 100 Cloud consoles of one key each. ' +
      'A fresh Node process (bench/engine-cpu-child.ts, `--expose-gc`) then times, in turns: a bare `JSON.parse` of every reply the engine is served, each result dropped at once (the floor: the replies must be parsed whatever reads them), `runInventory` over all instances with a fetch that answers from the recorded bodies at once with a bare Response-like object (no stream, no UTF-8 round trip: the engine’s own work is all that is left, HTTP layer, validation, dates, records and bookkeeping included), and the same `JSON.parse` keeping every parsed reply alive until its end (reported beside: a reader that returns its keys keeps them, and the collector pays for what survives); a `gc()` before each; the medians of the first two are compared. ' +
      'Each shape is timed alone the same way. Where the time goes: V8’s sampling profiler (100 µs) over one more run, each sample’s own function placed by its source file (JSON.parse runs inside lib/apis/http.ts, so it counts there; the collector’s time is shown apart).',
    raw: r,
  };
}
