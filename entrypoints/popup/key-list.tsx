import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { KeyMeta, KeysView } from '../../lib/messages';
import { olderThan } from '../../lib/owners';
import { sendMessage } from '../../ext/messaging';
import { t } from '../../ext/i18n';
import { Alert } from '../../ext/ui/alert';
import { errorText, grouped, localTime } from '../../ext/ui/format';
import { daysText, FIRST_FRAME_ROWS, KEY_WINDOWS, toneOf, type KeyWindow, type TimelineBar } from '../../ext/ui/keys-view';
import { Timeline } from './timeline';

interface Props {
  /** The list with no search and no filter, as the state brought it. */
  initial: KeysView;
  /** Keys per timeline bar (the state's `timeline`). */
  timeline: number[];
  /** Every cached key, for the empty list's wording. */
  total: number;
  /** Console page per instance name (docs/contract.md#test-ids `open-console`). */
  consoleUrls: ReadonlyMap<string, string>;
  now: number;
  /** The rotation policy in days; undefined when there is none (no `filter-rotate` chip then). */
  maxKeyAgeDays?: number;
}

interface Filter {
  query: string;
  /** A day window, or `rotate`: the keys older than the rotation policy. */
  within: KeyWindow | 'rotate';
  week?: TimelineBar;
}

const unfiltered = (f: Filter) => !f.query.trim() && f.within === 'all' && f.week === undefined;

/**
 * The soonest-expiring keys over every instance. The background picks the rows for each search
 * and filter (`keys:view`) from every cached key; the popup draws only them (docs/benchmarks.md#budgets: 100,000 keys).
 */
export function KeyList({ initial, timeline, total, consoleUrls, now, maxKeyAgeDays }: Props) {
  const [filter, setFilter] = useState<Filter>({ query: '', within: 'all' });
  const [answer, setAnswer] = useState<{ to: Filter; view?: KeysView; error?: string }>();
  // The filter the newest question was about: an older answer arriving late is dropped.
  const latest = useRef(filter);

  async function ask(f: Filter) {
    try {
      const view = await sendMessage('keys:view', { query: f.query, within: f.within, ...(f.week === undefined ? {} : { week: f.week }) });
      if (latest.current === f) setAnswer({ to: f, view });
    } catch (err) {
      if (latest.current === f) setAnswer({ to: f, error: errorText(err) });
    }
  }

  // Asked in the input's own turn, before the re-render it schedules: the answer is due within a frame.
  function change(patch: Partial<Filter>) {
    const next = { ...latest.current, ...patch };
    latest.current = next;
    if (!unfiltered(next)) void ask(next);
    // Back to the whole list: the last answer is over, so the next question keeps this list on
    // show while it waits instead of drawing that older answer again.
    else setAnswer(undefined);
    setFilter(next);
  }

  // New state (a refresh went on): a search or filter on show is asked again over the new keys.
  const asked = useRef(initial);
  useEffect(() => {
    if (asked.current === initial) return;
    asked.current = initial;
    if (!unfiltered(latest.current)) void ask(latest.current);
  }, [initial]);

  const busy = !unfiltered(filter) && answer?.to !== filter;
  const view = unfiltered(filter) ? initial : (answer?.view ?? initial);
  const hidden = view.matched - view.rows.length;
  // A new list shows its first rows in the frame that answers; the rest follow once that frame is
  // on screen (effects run after it).
  const [drawn, setDrawn] = useState<KeysView>();
  useEffect(() => setDrawn(view), [view]);
  const rest = drawn === view;
  // The same elements while the rows stay the same: a keystroke's busy mark re-renders the
  // section, and Preact skips an element it is given again instead of comparing every row.
  // The first rows are keyed by place: an answer rewrites the rows on show instead of removing
  // them and making new ones. The rest sit in a body of their own, left out of the frame that
  // answers: one removal, not one per row (a search's answer is due within a frame,
  // docs/benchmarks.md#budgets).
  const table = useMemo(() => {
    const row = (key: KeyMeta, place: number) => <KeyRow key={place} k={key} consoleUrl={consoleUrls.get(key.instance)} maxKeyAgeDays={maxKeyAgeDays} />;
    return (
      // No scroll box of its own: the popup is the one scroll container (docs/design.md).
      <table class="key-table">
        <colgroup>
          <col class="col-days" />
          <col />
          <col class="col-instance" />
        </colgroup>
        <thead>
          <tr>
            <th scope="col">{t('popup_column_expires')}</th>
            <th scope="col">{t('popup_column_owner')}</th>
            <th scope="col">{t('popup_column_instance')}</th>
          </tr>
        </thead>
        <tbody>{view.rows.slice(0, FIRST_FRAME_ROWS).map(row)}</tbody>
        {rest && view.rows.length > FIRST_FRAME_ROWS && <tbody>{view.rows.slice(FIRST_FRAME_ROWS).map(row)}</tbody>}
      </table>
    );
  }, [view, rest, consoleUrls, maxKeyAgeDays]);
  const chart = useMemo(
    () => <Timeline counts={timeline} now={now} selected={filter.week} onSelect={(week) => change({ week })} />,
    [timeline, now, filter.week],
  );

  return (
    <section class="keys" aria-label={t('popup_keys_label')} aria-busy={busy}>
      {chart}
      <input
        type="search"
        class="key-search"
        data-testid="key-search"
        aria-label={t('popup_search_label')}
        placeholder={t('popup_search_placeholder')}
        value={filter.query}
        onInput={(e) => change({ query: e.currentTarget.value })}
      />
      <div class="filters" role="group" aria-label={t('popup_filter_label')}>
        {KEY_WINDOWS.map((w) => (
          <button
            key={w}
            type="button"
            class="filter"
            data-window={w}
            aria-pressed={w === filter.within}
            onClick={() => change({ within: w })}
          >
            {w === 'all' ? t('popup_filter_all') : t('popup_filter_days', w)}
          </button>
        ))}
        {maxKeyAgeDays !== undefined && (
          <button
            type="button"
            class="filter filter-rotate"
            data-testid="filter-rotate"
            data-window="rotate"
            aria-pressed={filter.within === 'rotate'}
            title={t('popup_filter_rotateTitle', maxKeyAgeDays)}
            onClick={() => change({ within: 'rotate' })}
          >
            {t('popup_filter_rotate')}
          </button>
        )}
      </div>
      {answer?.to === filter && answer.error ? (
        <Alert headline={t('popup_loadFailed')} text={answer.error} />
      ) : view.rows.length === 0 ? (
        <p class="empty">
          {!total
            ? t('popup_keys_none')
            : filter.query.trim() || filter.week !== undefined
              ? t('popup_search_none')
              : filter.within === 'rotate'
                ? t('popup_keys_noneRotate', maxKeyAgeDays ?? 0)
                : t('popup_keys_noneWithin', filter.within)}
        </p>
      ) : (
        table
      )}
      {hidden > 0 && <p class="more">{t('popup_keys_more', grouped(hidden))}</p>}
    </section>
  );
}

/**
 * Names never break inside a word: owner and instance end in an ellipsis (the whole name in the
 * tooltip); the key id is a chip of its own, apart from the description, which wraps at spaces.
 */
const OWNER_STATE_TEXT = {
  active: ['popup_owner_active', 'popup_owner_activeTitle'],
  inactive: ['popup_owner_inactive', 'popup_owner_inactiveTitle'],
  orphaned: ['popup_owner_orphaned', 'popup_owner_orphanedTitle'],
} as const;

/**
 * Is the owner still here (docs/owners.md): a chip with the state; what it means and, for a listed
 * owner, the last login in its tooltip and, for screen readers, in hidden text inside it.
 */
function OwnerState({ k }: { k: KeyMeta }) {
  if (!k.owner_state) return null;
  const [label, title] = OWNER_STATE_TEXT[k.owner_state];
  const login =
    k.owner_state === 'orphaned' ? '' : k.owner_last_login ? t('popup_owner_lastLogin', localTime(k.owner_last_login)) : t('popup_owner_neverLoggedIn');
  return (
    <span class={`owner-state state-${k.owner_state}`} data-testid="owner-state" data-state={k.owner_state} title={login ? `${t(title)} · ${login}` : t(title)}>
      {t(label)}
      {login && <span class="visually-hidden owner-login">, {login}</span>}
    </span>
  );
}

function KeyRow({ k, consoleUrl, maxKeyAgeDays }: { k: KeyMeta; consoleUrl: string | undefined; maxKeyAgeDays: number | undefined }) {
  const tone = toneOf(k);
  const rotate = olderThan(k.age_days ?? null, maxKeyAgeDays);
  return (
    <tr class={`key tone-${tone}`} data-testid="key-row" data-instance={k.instance} data-key-id={k.key_id}>
      <td class="key-days" title={k.expires ? localTime(k.expires) : undefined}>
        {daysText(k)}
      </td>
      <td class="key-main">
        <div class="key-owner-line">
          <span class="key-owner ellipsis" title={k.owner}>
            {k.owner}
          </span>
          <OwnerState k={k} />
          {rotate && (
            <span class="key-rotate" data-testid="key-rotate" title={t('popup_key_rotateTitle', k.age_days!, maxKeyAgeDays!)}>
              {t('popup_key_rotate')}
            </span>
          )}
        </div>
        {(k.key_id || k.description) && (
          <div class="key-label">
            {k.key_id && (
              <span class="key-id" title={t('popup_keyId')}>
                {k.key_id}
              </span>
            )}
            {k.description && (
              <span class="key-description" title={k.description}>
                {k.description}
              </span>
            )}
          </div>
        )}
      </td>
      <td class="key-place">
        <span class="key-instance ellipsis" title={k.instance}>
          {k.instance}
        </span>
        {consoleUrl && <ConsoleLink href={consoleUrl} label={t('popup_open_console_key', k.instance)} text="↗" />}
      </td>
    </tr>
  );
}

/** A console page opens in a new tab: the popup closes, the list stays where it was. */
export function ConsoleLink({ href, label, text }: { href: string; label: string; text: string }) {
  return (
    <a class="open-console" data-testid="open-console" href={href} target="_blank" rel="noopener noreferrer" aria-label={label} title={label}>
      {text}
    </a>
  );
}
