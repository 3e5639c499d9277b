// The extension as the browser tests and `npm run demo` load it: built with the test host
// permissions (docs/contract.md#automation-contract) into `.output/<browser>-mv3-e2e` or a test run's own
// folder, so a test build never lands in, nor clobbers, a release build in `.output/<browser>-mv3`.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export type TargetBrowser = 'chrome' | 'firefox';

/** `wxt build --mode e2e` writes to `<browser>-mv3-e2e` (WXT's `{{browser}}-mv{{version}}-{{mode}}`). */
export const E2E_MODE = 'e2e';
/**
 * 127.0.0.1 for the mock consoles; *.keyatlas.test for XSOAR's `<fqdn>` / `api-<fqdn>` pair (mapped
 * to 127.0.0.1 by the browser). The space after the comma is on purpose: test/manifest.test.ts
 * checks this build's host permissions, so it also proves the patterns are trimmed.
 */
export const TEST_HOSTS = 'http://127.0.0.1/*, http://*.keyatlas.test/*';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WXT = join(ROOT, 'node_modules', '.bin', 'wxt');
/** Everything a build reads; a newer file than the last build makes it stale. */
const INPUTS = ['entrypoints', 'ext', 'lib', 'public', 'wxt.config.ts', 'package.json', 'package-lock.json', 'node_modules/.package-lock.json'];

/**
 * Where the test build of `browser` is: the folder of the current test run when one is going
 * (test/e2e/global-setup.ts sets KEYATLAS_E2E_BUILD_DIR), else the shared `.output/<browser>-mv3-e2e`.
 */
export function testExtensionDir(browser: TargetBrowser): string {
  const runDir = process.env.KEYATLAS_E2E_BUILD_DIR;
  return runDir ? join(runDir, `${browser}-mv3`) : join(ROOT, '.output', `${browser}-mv3-${E2E_MODE}`);
}

const stampFile = (browser: TargetBrowser) => join(ROOT, '.output', `.${browser}-mv3-${E2E_MODE}.stamp.json`);

interface Stamp {
  testHosts: string;
  builtAt: number;
}

/**
 * Builds one browser's test extension into `.output/<browser>-mv3-e2e`, or into `outDir`: a test
 * run's own folder, so two runs at once (several people share this tree) never load each other's
 * half-written build. `ifStale`: keep the shared build when no input changed since it was made
 * (the demo); a test run always builds, so it never tests yesterday's code.
 */
export async function buildTestExtension(
  browser: TargetBrowser,
  { ifStale = false, outDir }: { ifStale?: boolean; outDir?: string } = {},
): Promise<{ dir: string; built: boolean }> {
  const shared = join(ROOT, '.output', `${browser}-mv3-${E2E_MODE}`);
  if (!outDir && ifStale && !isStale(browser)) return { dir: shared, built: false };
  const startedAt = Date.now();
  // A mode of its own gives a private WXT output folder, moved into place once complete.
  const mode = outDir ? `${E2E_MODE}-${process.pid}-${startedAt}` : E2E_MODE;
  const env: NodeJS.ProcessEnv = { ...process.env, KEYATLAS_TEST_HOSTS: TEST_HOSTS };
  try {
    await promisify(execFile)(WXT, ['build', '-b', browser, '--mode', mode], { cwd: ROOT, env, maxBuffer: 32 * 1024 * 1024 });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`wxt build -b ${browser} --mode ${mode} failed:\n${`${stdout}\n${stderr}`.trim().split('\n').slice(-40).join('\n')}`);
  }
  if (outDir) {
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(dirname(outDir), { recursive: true });
    renameSync(join(ROOT, '.output', `${browser}-mv3-${mode}`), outDir);
    return { dir: outDir, built: true };
  }
  writeFileSync(stampFile(browser), JSON.stringify({ testHosts: TEST_HOSTS, builtAt: startedAt } satisfies Stamp));
  return { dir: shared, built: true };
}

function isStale(browser: TargetBrowser): boolean {
  if (!existsSync(join(ROOT, '.output', `${browser}-mv3-${E2E_MODE}`, 'manifest.json')) || !existsSync(stampFile(browser))) return true;
  let stamp: Stamp;
  try {
    stamp = JSON.parse(readFileSync(stampFile(browser), 'utf8')) as Stamp;
  } catch {
    return true;
  }
  return stamp.testHosts !== TEST_HOSTS || INPUTS.some((input) => newestMtime(join(ROOT, input)) > stamp.builtAt);
}

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), stat.mtimeMs);
}

// `npx tsx scripts/build-test-extension.ts [chrome] [firefox] [--if-stale]`
if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const args = process.argv.slice(2);
  const browsers = args.filter((a): a is TargetBrowser => a === 'chrome' || a === 'firefox');
  for (const browser of browsers.length ? browsers : (['chrome', 'firefox'] as const)) {
    const { dir, built } = await buildTestExtension(browser, { ifStale: args.includes('--if-stale') });
    console.log(`${built ? 'built' : 'up to date'}: ${dir}`);
  }
}
