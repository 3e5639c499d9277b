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
export function runCli(args: string[], { cwd = ROOT, env = {} }: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX_LOADER, `${ROOT}/cli/keyatlas.ts`, ...args], {
      cwd,
      env: { ...process.env, ...env, NO_COLOR: '1' },
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
