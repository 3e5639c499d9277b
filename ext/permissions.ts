import { browser } from 'wxt/browser';

/**
 * Whether the user granted this host pattern; patterns in the manifest's host_permissions (release
 * defaults or KEYATLAS_TEST_HOSTS) count as granted. A failed check counts as not granted.
 */
export function isPatternGranted(pattern: string): Promise<boolean> {
  return browser.permissions.contains({ origins: [pattern] }).catch(() => false);
}
