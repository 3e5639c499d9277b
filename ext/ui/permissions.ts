import { browser } from 'wxt/browser';

/**
 * The patterns not granted yet. Patterns already in the manifest's host_permissions (release
 * defaults or KEYATLAS_TEST_HOSTS) count as granted, so they never cause a prompt.
 */
export async function missingPatterns(patterns: readonly string[]): Promise<string[]> {
  const granted = await Promise.all(
    patterns.map((pattern) => browser.permissions.contains({ origins: [pattern] }).catch(() => false)),
  );
  return patterns.filter((_, i) => !granted[i]);
}
