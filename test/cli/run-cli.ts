import { spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// Resolved from the repo, not the child's cwd, so the CLI can run from any folder.
export const TSX_LOADER = pathToFileURL(`${ROOT}/node_modules/tsx/dist/loader.mjs`).href;

/**
 * Node's arguments that start the CLI: the bundle of this test run (bin/keyatlas.mjs beside
 * dist/cli, built by test/cli/global-setup.ts), as the installed command runs; or, with `source`,
 * cli/keyatlas.ts through tsx, as `npm run keyatlas` runs.
 */
export function cliCommand({ source = false }: { source?: boolean } = {}): string[] {
  return source ? ['--import', TSX_LOADER, `${ROOT}/cli/keyatlas.ts`] : [builtBin()];
}

/** bin/keyatlas.mjs of this run's bundle; its dist/cli is beside it, as in the package. */
export function builtBin(): string {
  const bin = process.env.KEYATLAS_TEST_CLI;
  if (!bin) throw new Error('KEYATLAS_TEST_CLI is not set: the unit project\'s global setup (test/cli/global-setup.ts) builds the CLI; run the test through vitest');
  return bin;
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Spawns the real command line as a user would: the built bundle, or the sources with `source` (see `cliCommand`). */
export function runCli(
  args: string[],
  {
    cwd = ROOT,
    env = {},
    now,
    source = false,
  }: { cwd?: string; env?: Record<string, string>; /** The instant the run takes as "now" (ISO). */ now?: string; source?: boolean } = {},
): Promise<CliRun> {
  const clock = now === undefined ? [] : ['--import', pathToFileURL(`${ROOT}/test/cli/fixed-clock.mjs`).href];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...clock, ...cliCommand({ source }), ...args], {
      cwd,
      env: { ...process.env, ...env, NO_COLOR: '1', ...(now === undefined ? {} : { KEYATLAS_TEST_NOW: now }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
