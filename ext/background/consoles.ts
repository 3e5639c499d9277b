import { browser } from 'wxt/browser';
import { consoleOriginFor, matchPatternFor } from '../../lib/origins';
import type { PublicInstance } from '../storage';

/** Console origins of configured instances that the user granted (test hosts count as granted). */
export async function grantedConsoleOrigins(instances: readonly Pick<PublicInstance, 'vendor' | 'url'>[]): Promise<string[]> {
  const origins = [...new Set(instances.flatMap((inst) => consoleOriginFor(inst) ?? []))];
  const granted = await Promise.all(
    origins.map((origin) => browser.permissions.contains({ origins: [matchPatternFor(origin)!] }).catch(() => false)),
  );
  return origins.filter((_, i) => granted[i]);
}
