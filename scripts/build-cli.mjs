// Bundles the CLI into dist/cli so `npm install -g .` or an installed tarball runs it
// with plain Node: no tsx, no TypeScript, only the runtime dependencies.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

// Chunks from an older build would be shipped with the new one.
rmSync(new URL('../dist/cli', import.meta.url), { recursive: true, force: true });

await build({
  entryPoints: ['cli/keyatlas.ts'],
  outdir: 'dist/cli',
  outExtension: { '.js': '.mjs' },
  // Split at the dynamic import, so --help and --version load only the small entry chunk.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: Object.keys(pkg.dependencies),
  logLevel: 'warning',
});
