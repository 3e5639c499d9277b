import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildCli } from '../../scripts/build-cli.mjs';
import { newRunFolder } from '../run-folder';
import { ROOT } from './run-cli';

/**
 * Once per run of the unit project: the CLI bundle as `npm pack` ships it (bin/keyatlas.mjs
 * beside dist/cli/), built from the current sources into this run's own folder. The tests spawn
 * it through KEYATLAS_TEST_CLI (test/cli/run-cli.ts): plain Node starts it in a fraction of what
 * tsx needs to transpile the CLI at every spawn, and it is what users run.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const runDir = newRunFolder('cli-runs');
  const build = () => buildCli(join(runDir, 'dist', 'cli'));
  await build();
  mkdirSync(join(runDir, 'bin'));
  copyFileSync(join(ROOT, 'bin', 'keyatlas.mjs'), join(runDir, 'bin', 'keyatlas.mjs'));
  process.env.KEYATLAS_TEST_CLI = join(runDir, 'bin', 'keyatlas.mjs');
  // Watch mode: a rerun tests the sources as they are now.
  project.onTestsRerun(build);
  return () => rmSync(runDir, { recursive: true, force: true });
}
