import { grantPatternsFor } from '../../lib/origins';
import { isVendorId } from '../../lib/vendors';

/**
 * The host permissions a config file (docs/contract.md#configuration) needs, read loosely: the background validates the
 * file properly, this only decides which origins to ask for first. Unusable entries are skipped;
 * an instance without `url` counts with its vendor's default (MetaDefender Cloud).
 */
export function configOriginPatterns(json: string): string[] {
  let config: unknown;
  try {
    config = JSON.parse(json.replace(/^\uFEFF/, ''));
  } catch {
    return [];
  }
  const instances = (config as { instances?: unknown } | null)?.instances;
  if (!Array.isArray(instances)) return [];
  const patterns = new Set<string>();
  for (const inst of instances as unknown[]) {
    const { vendor, url } = (inst ?? {}) as { vendor?: unknown; url?: unknown };
    if (!isVendorId(vendor)) continue;
    if (url !== undefined && typeof url !== 'string') continue;
    for (const pattern of grantPatternsFor({ vendor, url })) patterns.add(pattern);
  }
  return [...patterns];
}
