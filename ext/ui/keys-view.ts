import type { KeyMeta } from '../../lib/messages';
import { t, tCount } from '../i18n';

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

/** What a key row says in its "Expires" column, in the UI language. */
export function daysText(key: KeyUrgency): string {
  if (key.status === 'expired') return t('popup_days_expired');
  if (key.days_left === null) return t('popup_days_never');
  if (key.days_left < 1) return t('popup_days_lessThanOne');
  return tCount('popup_days', key.days_left);
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

/**
 * What `key-search` looks in, per key, lower-cased once: owner, description, instance and key id
 * (SPEC §5). Built once per key list, so a keystroke over 100,000 keys is one pass of `includes`.
 */
export function searchIndex(keys: readonly KeyMeta[]): string[] {
  return keys.map((k) => `${k.owner}\u0000${k.description}\u0000${k.instance}\u0000${k.key_id}`.toLowerCase());
}

/** Whether key `i` of the indexed list matches a search; `needle` is the trimmed, lower-cased query ('' = every key). */
export function searchMatches(index: readonly string[] | undefined, i: number, needle: string): boolean {
  return !needle || !!index?.[i]!.includes(needle);
}

/**
 * The first `limit` keys of an already sorted list that match, and how many match in all. The
 * order does not depend on the query, so the popup sorts once per key list and a keystroke is one
 * pass without a sort (100,000 keys: SPEC §5 search stays responsive).
 */
export function pickRows(sorted: readonly KeyMeta[], matches: (key: KeyMeta, i: number) => boolean, limit = MAX_KEY_ROWS): KeysView {
  const rows: KeyMeta[] = [];
  let matched = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (!matches(sorted[i]!, i)) continue;
    matched++;
    if (rows.length < limit) rows.push(sorted[i]!);
  }
  return { rows, matched };
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

/** Timeline weeks after the "expired" bar (SPEC §5). */
export const TIMELINE_WEEKS = 12;

/** A timeline bar: expired keys (-1) or keys whose days left fall in week `n` (0 = today to day 6). */
export type TimelineBar = -1 | number;

/** Which bar a key belongs to, if any: expired, or one of the next 12 weeks. */
export function timelineBar(key: KeyUrgency): TimelineBar | undefined {
  if (key.status === 'expired') return -1;
  if (key.days_left === null) return undefined;
  const week = Math.floor(key.days_left / 7);
  return week < TIMELINE_WEEKS ? week : undefined;
}

/** Counts per bar: index 0 = expired, 1..12 = weeks. */
export function timelineCounts(keys: readonly KeyUrgency[]): number[] {
  const counts = new Array<number>(TIMELINE_WEEKS + 1).fill(0);
  for (const key of keys) {
    const bar = timelineBar(key);
    if (bar !== undefined) counts[bar + 1]!++;
  }
  return counts;
}
