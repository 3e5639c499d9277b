// Bundles the CLI into dist/cli so `npm install -g .` or an installed tarball runs it
// with plain Node: no tsx, no TypeScript, only the runtime dependencies.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

await build({
  entryPoints: ['cli/keyatlas.ts'],
  outfile: 'dist/cli/keyatlas.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: Object.keys(pkg.dependencies),
  logLevel: 'warning',
});
