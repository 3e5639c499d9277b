import { browser } from 'wxt/browser';
import type { PopupState } from '../../lib/messages';

// Red-ish: the badge only ever counts keys that need attention.
export const BADGE_COLOR = '#D93025';

/** docs/contract.md#buckets: keys expired or expiring within 7 days over all instances; no badge when none. */
export async function showBadge(totals: PopupState['totals']): Promise<void> {
  const count = totals.expired + totals.within7;
  await browser.action.setBadgeBackgroundColor({ color: BADGE_COLOR });
  await browser.action.setBadgeText({ text: count ? String(count) : '' });
}
