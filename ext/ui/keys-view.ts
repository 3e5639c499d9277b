import type { KeyMeta } from '../../lib/messages';

/** The popup's filter choices: keys expiring within N days (expired ones always count), or every key. */
export const KEY_WINDOWS = [7, 30, 60, 90, 'all'] as const;
export type KeyWindow = (typeof KEY_WINDOWS)[number];

/** The popup draws at most this many key rows: 10,000 rows would blow its 100 ms first-render budget (SPEC §7). */
export const MAX_KEY_ROWS = 100;

export type KeyUrgency = Pick<KeyMeta, 'status' | 'days_left'>;

/** Colour class of a key: red when expired, amber within the SPEC §4 "≤7 days" bucket. */
export type Tone = 'expired' | 'soon' | 'later' | 'never';

export function toneOf(key: KeyUrgency): Tone {
  if (key.status === 'expired') return 'expired';
  if (key.days_left === null) return 'never';
  return key.days_left <= 7 ? 'soon' : 'later';
}

export function daysText(key: KeyUrgency): string {
  if (key.status === 'expired') return 'Expired';
  if (key.days_left === null) return 'Never';
  if (key.days_left < 1) return '< 1 day';
  return key.days_left === 1 ? '1 day' : `${key.days_left} days`;
}

const TONE_RANK: Record<Tone, number> = { expired: 0, soon: 1, later: 1, never: 2 };

function compareTies(a: KeyMeta, b: KeyMeta): number {
  return compareText(a.instance, b.instance) || compareText(a.owner, b.owner) || compareText(a.key_id, b.key_id);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function inWindow(key: KeyUrgency, window: KeyWindow): boolean {
  if (window === 'all' || key.status === 'expired') return true;
  return key.days_left !== null && key.days_left <= window;
}

export interface KeysView {
  rows: KeyMeta[];
  /** How many keys the filter matched, of which `rows` shows the first MAX_KEY_ROWS. */
  matched: number;
}

/** Expired first, then the soonest expiry, never-expiring last; ties in a stable, readable order. */
export function soonestKeys(keys: readonly KeyMeta[], window: KeyWindow, limit = MAX_KEY_ROWS): KeysView {
  // Rank and days are computed once per key, not once per comparison: 10,000 keys sort in a few ms.
  const matching = keys
    .filter((key) => inWindow(key, window))
    .map((key) => ({ key, rank: TONE_RANK[toneOf(key)], days: key.days_left ?? Infinity }));
  matching.sort((a, b) => a.rank - b.rank || a.days - b.days || compareTies(a.key, b.key));
  return { rows: matching.slice(0, limit).map((m) => m.key), matched: matching.length };
}
