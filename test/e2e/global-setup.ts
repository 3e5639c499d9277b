import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildTestExtension, testExtensionDir } from '../../scripts/build-test-extension';

const RUNS_DIR = fileURLToPath(new URL('../../.output/e2e-runs/', import.meta.url));
/** Folders of runs that were killed before their teardown; nothing runs that long. */
const ABANDONED_AFTER_MS = 24 * 3_600_000;

/**
 * Once per run of the e2e project: fresh test builds of both browsers (the Firefox one is also
 * what `web-ext lint` checks) in a folder of this run's own. The test files (forked after this)
 * find it through KEYATLAS_E2E_BUILD_DIR, read by `testExtensionDir`. One build after the other:
 * concurrent WXT builds share the `.wxt/` folder.
 */
export default async function setup(): Promise<() => void> {
  mkdirSync(RUNS_DIR, { recursive: true });
  for (const name of readdirSync(RUNS_DIR)) {
    const dir = join(RUNS_DIR, name);
    if (Date.now() - statSync(dir).mtimeMs > ABANDONED_AFTER_MS) rmSync(dir, { recursive: true, force: true });
  }
  const runDir = mkdtempSync(join(RUNS_DIR, 'run-'));
  process.env.KEYATLAS_E2E_BUILD_DIR = runDir;
  await buildTestExtension('chrome', { outDir: testExtensionDir('chrome') });
  await buildTestExtension('firefox', { outDir: testExtensionDir('firefox') });
  return () => rmSync(runDir, { recursive: true, force: true });
}
