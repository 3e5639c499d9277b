import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT } from './node-child';

export interface FileSize {
  file: string;
  bytes: number;
  gzipBytes: number;
}

export interface BundleSizes {
  /** Every JS file popup.html loads before first render: its scripts, module preloads and their static imports. */
  popupJs: FileSize[];
  popupGzipBytes: number;
  background: FileSize;
  /** Whether this run had to build the extension first. */
  built: boolean;
}

/** Sources whose change makes a build stale (tests do not end up in the bundle). */
const SOURCES = ['entrypoints', 'ext', 'lib', 'public', 'assets', 'wxt.config.ts', 'package.json', 'package-lock.json'];

function newestSourceMtime(root = ROOT): number {
  let newest = 0;
  const visit = (path: string) => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) for (const entry of readdirSync(path)) visit(join(path, entry));
    else if (!/\.test\.tsx?$/.test(path)) newest = Math.max(newest, stat.mtimeMs);
  };
  for (const source of SOURCES) visit(join(root, source));
  return newest;
}

/** Runs `wxt build` (Chrome MV3) when .output/chrome-mv3 is missing or older than a source file. */
export function ensureBuilt(root = ROOT): boolean {
  const manifest = join(root, '.output/chrome-mv3/manifest.json');
  if (existsSync(manifest) && statSync(manifest).mtimeMs >= newestSourceMtime(root)) return false;
  // A release build: the test-only host permissions must not be in what is measured.
  const env = { ...process.env };
  delete env.KEYATLAS_TEST_HOSTS;
  const build = spawnSync(join(root, 'node_modules/.bin/wxt'), ['build'], { cwd: root, env, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`wxt build failed (exit ${build.status}): ${(build.stderr || build.stdout).trim().slice(-2000)}`);
  return true;
}

export function bundleSizes(outDir: string, built = false): BundleSizes {
  const html = readFileSync(join(outDir, 'popup.html'), 'utf8');
  const entries = [
    ...[...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]!),
    ...[...html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g)].map((m) => m[1]!),
  ].map((src) => resolveAsset(outDir, outDir, src));
  const files = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    // Static imports load before the popup runs; `import()` loads later, when (if) it is needed.
    for (const m of readFileSync(file, 'utf8').matchAll(/(?:\bfrom\s*|\bimport\s*)["']([^"']+\.js)["']/g)) visit(resolveAsset(outDir, dirname(file), m[1]!));
  };
  entries.forEach(visit);
  const popupJs = [...files].map((file) => sizeOf(outDir, file));
  return {
    popupJs,
    popupGzipBytes: popupJs.reduce((sum, f) => sum + f.gzipBytes, 0),
    background: sizeOf(outDir, join(outDir, 'background.js')),
    built,
  };
}

function resolveAsset(outDir: string, from: string, src: string): string {
  return src.startsWith('/') ? join(outDir, src) : resolve(from, src);
}

/** gzip at zlib's default level, as a web server or store would compress it. */
function sizeOf(outDir: string, file: string): FileSize {
  const bytes = readFileSync(file);
  return { file: relative(outDir, file), bytes: bytes.length, gzipBytes: gzipSync(bytes).length };
}

export function benchBundleSizes(root = ROOT): BundleSizes {
  const built = ensureBuilt(root);
  return bundleSizes(join(root, '.output/chrome-mv3'), built);
}
