import { isPatternGranted } from '../permissions';

/** The patterns not granted yet: the manifest's own host_permissions never cause a prompt. */
export async function missingPatterns(patterns: readonly string[]): Promise<string[]> {
  const granted = await Promise.all(patterns.map(isPatternGranted));
  return patterns.filter((_, i) => !granted[i]);
}
