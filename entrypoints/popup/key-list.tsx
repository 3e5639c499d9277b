import { useMemo, useState } from 'preact/hooks';
import type { KeyMeta } from '../../lib/messages';
import { grouped, localTime } from '../../ext/ui/format';
import { daysText, KEY_WINDOWS, soonestKeys, toneOf, type KeyWindow } from '../../ext/ui/keys-view';

/** The soonest-expiring keys over every instance; only the first rows are drawn (SPEC §7 budget). */
export function KeyList({ keys }: { keys: KeyMeta[] }) {
  const [within, setWithin] = useState<KeyWindow>('all');
  const view = useMemo(() => soonestKeys(keys, within), [keys, within]);
  const hidden = view.matched - view.rows.length;

  return (
    <section class="keys" aria-label="Soonest-expiring keys">
      <div class="filters" role="group" aria-label="Show keys expiring within">
        {KEY_WINDOWS.map((w) => (
          <button
            key={w}
            type="button"
            class="filter"
            data-window={w}
            aria-pressed={w === within}
            onClick={() => setWithin(w)}
          >
            {w === 'all' ? 'All' : `${w} d`}
          </button>
        ))}
      </div>
      {view.rows.length === 0 ? (
        <p class="empty">{keys.length ? `No key expires within ${within} days.` : 'No keys read yet.'}</p>
      ) : (
        <div class="key-scroll">
          <table class="key-table">
            <thead>
              <tr>
                <th>Expires</th>
                <th>Owner</th>
                <th>Instance</th>
                <th>Key</th>
              </tr>
            </thead>
            <tbody>
              {view.rows.map((key) => (
                <KeyRow key={`${key.instance}\u0000${key.key_id}\u0000${key.owner}`} k={key} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {hidden > 0 && <p class="more">and {grouped(hidden)} more</p>}
    </section>
  );
}

function KeyRow({ k }: { k: KeyMeta }) {
  const tone = toneOf(k);
  return (
    <tr class={`key tone-${tone}`}>
      <td class="key-days" title={k.expires ? localTime(k.expires) : undefined}>
        {daysText(k)}
      </td>
      <td class="key-owner">{k.owner}</td>
      <td class="key-instance">{k.instance}</td>
      <td class="key-label">
        {k.key_id && <span class="key-id">{k.key_id}</span>}
        {k.description && <span class="key-description">{k.description}</span>}
      </td>
    </tr>
  );
}
