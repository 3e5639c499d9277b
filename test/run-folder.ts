import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const OUTPUT = fileURLToPath(new URL('../.output/', import.meta.url));
/** Folders of runs that were killed before their teardown; nothing runs that long. */
const ABANDONED_AFTER_MS = 24 * 3_600_000;

/**
 * A new folder for what one test run builds (`.output/<kind>/run-XXXXXX`), so two runs at once in
 * the same tree never load each other's half-written build. Inside the repository, so a bundle
 * there resolves its packages from node_modules as an installed one does. Leftovers of killed runs
 * are removed on the way.
 */
export function newRunFolder(kind: 'e2e-runs' | 'cli-runs'): string {
  const runs = join(OUTPUT, kind);
  mkdirSync(runs, { recursive: true });
  for (const name of readdirSync(runs)) {
    const dir = join(runs, name);
    if (Date.now() - statSync(dir).mtimeMs > ABANDONED_AFTER_MS) rmSync(dir, { recursive: true, force: true });
  }
  return mkdtempSync(join(runs, 'run-'));
}
