import { TIMELINE_WEEKS, type KeyWindow } from '../../lib/key-filters';
import type { KeyMeta } from '../../lib/messages';
import { t, tCount } from '../i18n';

export { KEY_WINDOWS, TIMELINE_WEEKS, type KeyWindow } from '../../lib/key-filters';
export type { KeysView } from '../../lib/messages';

/** The popup draws at most this many key rows: 10,000 rows would blow its 100 ms first-render budget (docs/benchmarks.md#budgets). */
export const MAX_KEY_ROWS = 100;

/**
 * Rows drawn in the popup's first frame: its list box shows about ten. The rest follow right after
 * that frame (docs/benchmarks.md#budgets: the first render with 100,000 keys cached ≤ 100 ms).
 */
export const FIRST_FRAME_ROWS = 20;

export type KeyUrgency = Pick<KeyMeta, 'status' | 'days_left'>;

/** Colour class of a key: red when expired, amber within the docs/contract.md#buckets "≤7 days" bucket. */
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

export function inWindow(key: KeyUrgency, window: KeyWindow): boolean {
  if (window === 'all' || key.status === 'expired') return true;
  return key.days_left !== null && key.days_left <= window;
}

/** A timeline bar: expired keys (-1) or keys whose days left fall in week `n` (0 = today to day 6). */
export type TimelineBar = -1 | number;

/** Which bar a key belongs to, if any: expired, or one of the next 12 weeks. */
export function timelineBar(key: KeyUrgency): TimelineBar | undefined {
  if (key.status === 'expired') return -1;
  if (key.days_left === null) return undefined;
  const week = Math.floor(key.days_left / 7);
  return week < TIMELINE_WEEKS ? week : undefined;
}
