import { browser } from 'wxt/browser';
import { consoleOriginFor, matchPatternFor } from '../../lib/origins';
import { isPatternGranted } from '../permissions';
import type { PublicInstance } from '../storage';

/**
 * Where the console content script runs: the console origins of configured instances the user
 * granted, and every host pattern the user granted (test hosts included), so a console not yet
 * configured still gets its "Add this console" or live-session button. An all-sites grant is the
 * one grant left out (grantedHostPatterns), so the script never runs on every site visited.
 */
export async function consoleScriptOrigins(instances: readonly Pick<PublicInstance, 'vendor' | 'url'>[]): Promise<string[]> {
  const [configured, granted] = await Promise.all([grantedConsoleOrigins(instances), grantedHostPatterns()]);
  return [...new Set([...configured, ...granted])];
}

async function grantedConsoleOrigins(instances: readonly Pick<PublicInstance, 'vendor' | 'url'>[]): Promise<string[]> {
  const origins = [...new Set(instances.flatMap((inst) => consoleOriginFor(inst) ?? []))];
  const granted = await Promise.all(origins.map((origin) => isPatternGranted(matchPatternFor(origin)!)));
  return origins.filter((_, i) => granted[i]);
}

/**
 * A grant of every host (a browser's "on all sites" switch) is no list of consoles: the script
 * would run on every site the user visits, so such patterns are left out.
 */
async function grantedHostPatterns(): Promise<string[]> {
  const { origins = [] } = await browser.permissions.getAll().catch(() => ({ origins: [] as string[] }));
  return origins.filter((pattern) => pattern !== '<all_urls>' && !/^[^:]+:\/\/\*\//.test(pattern));
}
