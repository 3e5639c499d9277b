import { spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
// Resolved from the repo, so a child runs TypeScript the way `npm run keyatlas` does, from any cwd.
export const TSX_LOADER = pathToFileURL(`${ROOT}node_modules/tsx/dist/loader.mjs`).href;

export interface ChildRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Spawn to exit, as a user waiting at a prompt sees it. */
  wallMs: number;
}

export interface NodeOptions {
  nodeFlags?: string[];
  env?: Record<string, string>;
  /** Load tsx first (default), so the script and any `--import` in nodeFlags may be TypeScript. */
  typescript?: boolean;
}

/** Runs `node [--import tsx] [flags] script args`: a fresh process, so heap and RSS belong to that work alone. */
export function runNode(script: string, args: string[] = [], { nodeFlags = [], env = {}, typescript = true }: NodeOptions = {}): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...(typescript ? ['--import', TSX_LOADER] : []), ...nodeFlags, script, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, wallMs: performance.now() - started }));
  });
}

/** A child prints its measurements as one `RESULT {json}` line; anything else on stdout (GC traces) is left to the caller. */
export function childResult<T>(run: ChildRun, what: string): T {
  const line = run.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (run.code !== 0 || !line) throw new Error(`${what} failed (exit ${run.code}): ${run.stderr.trim().slice(-2000) || 'no result printed'}`);
  return JSON.parse(line.slice('RESULT '.length)) as T;
}

export function printResult(value: unknown): void {
  process.stdout.write(`RESULT ${JSON.stringify(value)}\n`);
}

/**
 * Peak V8 heap in MiB from `--trace-gc` lines: the heap only grows between collections, so its
 * highest point is one of the "before" sizes V8 prints at each collection (or the end state,
 * which the child reports itself).
 */
export function peakHeapFromTrace(stdout: string): number {
  let peak = 0;
  for (const match of stdout.matchAll(/ms: [A-Za-z -]+(?:\([a-z ]+\) )?([\d.]+) \([\d.]+\) -> [\d.]+ \([\d.]+\) MB/g)) peak = Math.max(peak, Number(match[1]));
  return peak;
}

/** The `--import` module that makes a child report its own peak RSS (no `/usr/bin/time -v` needed). */
export const USAGE_REPORTER = `${ROOT}bench/child-usage.ts`;
