// Bundles the CLI into dist/cli so `npm install -g .` or an installed tarball runs it
// with plain Node: no tsx, no TypeScript, only the runtime dependencies.
// The CLI tests build the same bundle into a folder of their own run (test/cli/global-setup.ts).
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

/**
 * Writes the bundle into `outdir` (relative to the repository), emptied first: chunks from an
 * older build would be shipped with the new one.
 * @param {string} [outdir]
 * @returns {Promise<void>}
 */
export async function buildCli(outdir = 'dist/cli') {
  rmSync(resolve(ROOT, outdir), { recursive: true, force: true });
  await build({
    absWorkingDir: ROOT,
    entryPoints: ['cli/keyatlas.ts'],
    outdir: resolve(ROOT, outdir),
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
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await buildCli();
