import { browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import { mergeSettings, parseManagedPolicy, type EffectiveSettings, type ParsedPolicy, type Settings } from '../lib/managed';

/** The user's own choices; read only through readSettings(), which lets the policy win. */
export const localSettingsItem = storage.defineItem<Partial<Settings>>('local:settings', { version: 1, fallback: {} });

/**
 * The organisation's policy. No policy is the normal case: Chrome then answers `{}`, Firefox
 * throws ("Managed storage manifest not found"), and a browser without the area has none.
 */
export async function readManagedPolicy(): Promise<ParsedPolicy> {
  let raw: unknown;
  try {
    raw = await browser.storage.managed?.get();
  } catch {
    raw = undefined;
  }
  return parseManagedPolicy(raw);
}

/** The settings in force (defaults < local < policy) and which ones the policy fixes; what every feature reads. */
export async function readSettings(): Promise<EffectiveSettings & Pick<ParsedPolicy, 'problems'>> {
  const [{ policy, problems }, local] = await Promise.all([readManagedPolicy(), localSettingsItem.getValue()]);
  return { ...mergeSettings(local, policy), problems };
}
