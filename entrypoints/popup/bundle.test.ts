import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

// docs/benchmarks.md#budgets: the popup ships ≤ 20 kB of gzipped JS. Bundled the way Vite would (minified ESM), so a
// stray runtime import of zod, lib/config.ts or lib/messages.ts fails here rather than in review.
describe('popup bundle', () => {
  it('stays within 20 kB gzip and pulls in no schema code', async () => {
    const result = await build({
      entryPoints: [new URL('./main.tsx', import.meta.url).pathname],
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      jsx: 'automatic',
      jsxImportSource: 'preact',
      loader: { '.css': 'empty' },
      define: { 'process.env.NODE_ENV': '"production"' },
      metafile: true,
      outfile: 'popup.js',
      write: false,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((path) => /node_modules\/zod\/|lib\/config\.ts$|lib\/messages\.ts$/.test(path))).toEqual([]);
    // WXT's `browser` is the native namespace; @webext-core/messaging 2 brought the polyfill back in.
    expect(inputs.filter((path) => path.includes('webextension-polyfill'))).toEqual([]);
    const js = result.outputFiles.find((file) => file.path.endsWith('.js'))!;
    expect(gzipSync(js.contents).length).toBeLessThanOrEqual(20 * 1024);
  });
});
