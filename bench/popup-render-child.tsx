// Bundled by popup-render.ts with ext/messaging replaced by popup-messaging-stub.ts.
import './popup-dom';
import { render } from 'preact';
import { App } from '../entrypoints/popup/App';
import { overview } from '../ext/background/key-view';
import { keyColumns, manyKeys, stateOf } from '../test/support/ui-fixtures';
import { printResult } from './node-child';
import { answerStateWith } from './popup-messaging-stub';
import { median } from './stats';

const [keysText, runsText] = process.argv.slice(2);
const keys = manyKeys(Number(keysText));
// The worker's decoded copy of the cache: made once, as a running worker holds it.
const columns = keyColumns(keys);
answerStateWith(() => stateOf(columns));
const state = stateOf(columns);
const json = JSON.stringify(state);
// A popup opens as a fresh page: each run starts without the previous run's garbage to collect.
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

/** From the render call until the key list is in the DOM: the state counted and picked, its message read, the list drawn. */
async function firstRender(): Promise<{ ms: number; rows: number; expiredShown: string }> {
  gc();
  const container = document.createElement('div');
  document.body.append(container);
  const started = performance.now();
  render(<App />, container);
  for (let turn = 0; !container.querySelector('tr.key'); turn++) {
    const alert = container.querySelector('[role="alert"]');
    if (alert || turn > 10_000) throw new Error(`the popup showed no key list: ${alert?.textContent ?? container.textContent?.slice(0, 200)}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
  const ms = performance.now() - started;
  const rows = container.querySelectorAll('tr.key').length;
  const expiredShown = container.querySelector('[data-testid="summary-expired"]')?.textContent ?? '';
  render(null, container);
  container.remove();
  return { ms, rows, expiredShown };
}

/** Median time of `work`, for the share of the render that is not drawing. */
function timeOf(work: () => unknown): number {
  const times = Array.from({ length: 5 }, () => {
    const started = performance.now();
    work();
    return performance.now() - started;
  });
  return median(times);
}

const warmUp = await firstRender();
const runs = [];
for (let i = 0; i < Number(runsText); i++) runs.push(await firstRender());
printResult({
  stateBytes: json.length,
  parseMs: timeOf(() => JSON.parse(json)),
  overviewMs: timeOf(() => overview(columns, Date.now())),
  keys: keys.length,
  warmUpMs: warmUp.ms,
  medianMs: median(runs.map((r) => r.ms)),
  runsMs: runs.map((r) => r.ms),
  rowsDrawn: warmUp.rows,
  expiredShown: warmUp.expiredShown,
  expiredExpected: String(state.totals.expired),
});
process.exit(0);
