import { rmSync } from 'node:fs';
import { buildTestExtension, testExtensionDir } from '../../scripts/build-test-extension';
import { newRunFolder } from '../run-folder';

/**
 * Once per run of the e2e project: fresh test builds of both browsers (the Firefox one is also
 * what the manifest test reads and `web-ext lint` checks) in a folder of this run's own. The test files
 * (forked after this) find it through KEYATLAS_E2E_BUILD_DIR, read by `testExtensionDir`. One
 * build after the other: concurrent WXT builds share the `.wxt/` folder.
 */
export default async function setup(): Promise<() => void> {
  const runDir = newRunFolder('e2e-runs');
  process.env.KEYATLAS_E2E_BUILD_DIR = runDir;
  await buildTestExtension('chrome', { outDir: testExtensionDir('chrome') });
  await buildTestExtension('firefox', { outDir: testExtensionDir('firefox') });
  return () => rmSync(runDir, { recursive: true, force: true });
}
