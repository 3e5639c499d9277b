import { spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// Resolved from the repo, not the child's cwd, so the CLI can run from any folder.
export const TSX_LOADER = pathToFileURL(`${ROOT}/node_modules/tsx/dist/loader.mjs`).href;

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Spawns the real command line as a user would (`npm run --silent keyatlas -- …` runs the same file). */
export function runCli(
  args: string[],
  { cwd = ROOT, env = {}, now }: { cwd?: string; env?: Record<string, string>; /** The instant the run takes as "now" (ISO). */ now?: string } = {},
): Promise<CliRun> {
  const clock = now === undefined ? [] : ['--import', pathToFileURL(`${ROOT}/test/cli/fixed-clock.mjs`).href];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...clock, '--import', TSX_LOADER, `${ROOT}/cli/keyatlas.ts`, ...args], {
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
