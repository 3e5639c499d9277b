import { build, type Plugin } from 'esbuild';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { childResult, ROOT, runNode } from './node-child';

export interface PopupRenderResult {
  keys: number;
  warmUpMs: number;
  medianMs: number;
  runsMs: number[];
  /** Parts of the render, timed alone: the background counting and picking the state, and reading its message. */
  stateBytes: number;
  parseMs: number;
  overviewMs: number;
  rowsDrawn: number;
  expiredShown: string;
  expiredExpected: string;
}

const MESSAGING = resolve(ROOT, 'ext/messaging');

/** The popup's real App, its messaging swapped for a stub that answers with the cached state. */
const stubMessaging: Plugin = {
  name: 'keyatlas-bench-messaging-stub',
  setup(b) {
    b.onResolve({ filter: /messaging$/ }, (args) =>
      resolve(args.resolveDir, args.path) === MESSAGING ? { path: join(ROOT, 'bench/popup-messaging-stub.ts') } : undefined,
    );
  },
};

/** First render of the popup App with `keys` cached keys in happy-dom: one warm-up, then the median of `runs`. */
export async function benchPopupRender({ keys = 10_000, runs = 7 }: { keys?: number; runs?: number } = {}): Promise<PopupRenderResult> {
  // Inside node_modules, so the bundle finds happy-dom the way the sources do.
  const dir = join(ROOT, 'node_modules/.cache/keyatlas-bench');
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, `popup-render-${process.pid}-${Date.now()}.mjs`);
  try {
    await build({
      entryPoints: [join(ROOT, 'bench/popup-render-child.tsx')],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      jsx: 'automatic',
      jsxImportSource: 'preact',
      external: ['happy-dom'],
      loader: { '.css': 'empty' },
      plugins: [stubMessaging],
      logLevel: 'error',
    });
    const run = await runNode(outfile, [String(keys), String(runs)], { typescript: false, nodeFlags: ['--expose-gc'] });
    const result = childResult<PopupRenderResult>(run, 'the popup render child');
    if (result.expiredShown !== result.expiredExpected)
      throw new Error(`the popup showed ${result.expiredShown} expired keys, the state has ${result.expiredExpected}`);
    return result;
  } finally {
    rmSync(outfile, { force: true });
  }
}
