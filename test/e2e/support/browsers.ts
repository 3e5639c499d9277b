import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export type BrowserKind = 'chromium' | 'firefox';

/** Debian's packages first (what `.ci/run` installs), then the usual names on PATH. */
const CANDIDATES: Record<BrowserKind, { paths: string[]; names: string[]; install: string }> = {
  chromium: { paths: ['/usr/bin/chromium'], names: ['chromium', 'chromium-browser'], install: 'sudo apt-get install chromium' },
  firefox: { paths: ['/usr/bin/firefox-esr'], names: ['firefox-esr', 'firefox'], install: 'sudo apt-get install firefox-esr' },
};

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findBrowser(kind: BrowserKind): string | undefined {
  const { paths, names } = CANDIDATES[kind];
  const onPath = names.flatMap((name) => (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, name)));
  return [...paths, ...onPath].find(executable);
}

/**
 * Browser tests are skipped only on a developer machine without the browser; in CI (`CI` set) a
 * missing browser is a failure, so a green run always means the browsers really ran.
 */
export function skipWithout(kind: BrowserKind): boolean {
  return !findBrowser(kind) && !process.env.CI;
}

export function requireBrowser(kind: BrowserKind): string {
  const found = findBrowser(kind);
  if (!found) throw new Error(`${kind} is not installed (looked for ${CANDIDATES[kind].paths.join(', ')} and ${CANDIDATES[kind].names.join(', ')} on PATH): ${CANDIDATES[kind].install}`);
  return found;
}

export function installHint(kind: BrowserKind): string {
  return CANDIDATES[kind].install;
}
