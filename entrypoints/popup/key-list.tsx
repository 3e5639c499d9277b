import { useMemo, useState } from 'preact/hooks';
import type { KeyMeta } from '../../lib/messages';
import { t } from '../../ext/i18n';
import { grouped, localTime } from '../../ext/ui/format';
import {
  daysText,
  KEY_WINDOWS,
  inWindow,
  pickRows,
  searchIndex,
  searchMatches,
  soonestKeys,
  timelineBar,
  timelineCounts,
  toneOf,
  type KeyWindow,
  type TimelineBar,
} from '../../ext/ui/keys-view';
import { Timeline } from './timeline';

interface Props {
  keys: KeyMeta[];
  /** Console page per instance name (SPEC §5 `open-console`). */
  consoleUrls: ReadonlyMap<string, string>;
  now: number;
}

/** The soonest-expiring keys over every instance; only the first rows are drawn (SPEC §7 budget). */
export function KeyList({ keys, consoleUrls, now }: Props) {
  const [within, setWithin] = useState<KeyWindow>('all');
  const [query, setQuery] = useState('');
  const [week, setWeek] = useState<TimelineBar>();
  const needle = query.trim().toLowerCase();
  const sorted = useMemo(() => soonestKeys(keys, 'all', Infinity).rows, [keys]);
  // Built at the first keystroke, not at first render (SPEC §7 first-render budget).
  const index = useMemo(() => (needle ? searchIndex(sorted) : undefined), [sorted, needle !== '']);
  const counts = useMemo(() => timelineCounts(keys), [keys]);
  const view = useMemo(
    () => pickRows(sorted, (k, i) => inWindow(k, within) && (week === undefined || timelineBar(k) === week) && searchMatches(index, i, needle)),
    [sorted, index, needle, within, week],
  );
  const hidden = view.matched - view.rows.length;

  return (
    <section class="keys" aria-label={t('popup_keys_label')}>
      <Timeline counts={counts} now={now} selected={week} onSelect={setWeek} />
      <input
        type="search"
        class="key-search"
        data-testid="key-search"
        aria-label={t('popup_search_label')}
        placeholder={t('popup_search_placeholder')}
        value={query}
        onInput={(e) => setQuery(e.currentTarget.value)}
      />
      <div class="filters" role="group" aria-label={t('popup_filter_label')}>
        {KEY_WINDOWS.map((w) => (
          <button
            key={w}
            type="button"
            class="filter"
            data-window={w}
            aria-pressed={w === within}
            onClick={() => setWithin(w)}
          >
            {w === 'all' ? t('popup_filter_all') : t('popup_filter_days', w)}
          </button>
        ))}
      </div>
      {view.rows.length === 0 ? (
        <p class="empty">
          {!keys.length ? t('popup_keys_none') : query.trim() || week !== undefined ? t('popup_search_none') : t('popup_keys_noneWithin', within)}
        </p>
      ) : (
        <div class="key-scroll">
          <table class="key-table">
            <thead>
              <tr>
                <th scope="col">{t('popup_column_expires')}</th>
                <th scope="col">{t('popup_column_owner')}</th>
                <th scope="col">{t('popup_column_instance')}</th>
                <th scope="col">{t('popup_column_key')}</th>
              </tr>
            </thead>
            <tbody>
              {view.rows.map((key) => (
                <KeyRow key={`${key.instance}\u0000${key.key_id}\u0000${key.owner}`} k={key} consoleUrl={consoleUrls.get(key.instance)} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {hidden > 0 && <p class="more">{t('popup_keys_more', grouped(hidden))}</p>}
    </section>
  );
}

function KeyRow({ k, consoleUrl }: { k: KeyMeta; consoleUrl: string | undefined }) {
  const tone = toneOf(k);
  return (
    <tr class={`key tone-${tone}`} data-testid="key-row" data-instance={k.instance} data-key-id={k.key_id}>
      <td class="key-days" title={k.expires ? localTime(k.expires) : undefined}>
        {daysText(k)}
      </td>
      <td class="key-owner">{k.owner}</td>
      <td class="key-instance">
        {k.instance}
        {consoleUrl && (
          <>
            {' '}
            <ConsoleLink href={consoleUrl} label={t('popup_open_console_key', k.instance)} text="↗" />
          </>
        )}
      </td>
      <td class="key-label">
        {k.key_id && <span class="key-id">{k.key_id}</span>}
        {k.description && <span class="key-description">{k.description}</span>}
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
