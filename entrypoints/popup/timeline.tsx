import { useState } from 'preact/hooks';
import { t } from '../../ext/i18n';
import { shortDay } from '../../ext/ui/format';
import { TIMELINE_WEEKS, type TimelineBar } from '../../ext/ui/keys-view';

const BAR_W = 16;
const GAP = 4;
const HEIGHT = 40;

interface Props {
  counts: number[];
  /** The first day of week 0 (today), for the week labels. */
  now: number;
  selected: TimelineBar | undefined;
  onSelect: (bar: TimelineBar | undefined) => void;
}

function periodLabel(bar: TimelineBar, now: number): string {
  if (bar === -1) return t('popup_timeline_expired');
  return t('popup_timeline_week', bar + 1, shortDay(now + bar * 7 * 86_400_000));
}

/**
 * SPEC §5 expiry timeline: expired, then each of the next 12 weeks, as an inline SVG (no chart
 * library: the popup's 20 kB budget). Each bar is a button: focus or hover names its count, a
 * click filters the key list to it. Screen readers get the same numbers as a table.
 */
export function Timeline({ counts, now, selected, onSelect }: Props) {
  const [active, setActive] = useState<TimelineBar>();
  const max = Math.max(1, ...counts);
  const bars: TimelineBar[] = [-1, ...Array.from({ length: TIMELINE_WEEKS }, (_, i) => i)];
  return (
    <figure class="timeline">
      <figcaption class="timeline-caption">{t('popup_timeline_label')}</figcaption>
      <svg width={bars.length * (BAR_W + GAP)} height={HEIGHT + 2} role="group" aria-label={t('popup_timeline_label')}>
        {bars.map((bar, i) => {
          const count = counts[i] ?? 0;
          const h = count ? Math.max(2, Math.round((count / max) * HEIGHT)) : 0;
          const label = t('popup_timeline_bar', periodLabel(bar, now), count);
          return (
            <g
              key={bar}
              role="button"
              tabIndex={0}
              aria-label={label}
              aria-pressed={selected === bar}
              class={`timeline-bar${bar === -1 ? ' tone-expired' : ''}${selected === bar ? ' selected' : ''}`}
              onClick={() => onSelect(selected === bar ? undefined : bar)}
              onMouseEnter={() => setActive(bar)}
              onFocus={() => setActive(bar)}
              onMouseLeave={() => setActive(undefined)}
              onBlur={() => setActive(undefined)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault();
                  onSelect(selected === bar ? undefined : bar);
                }
              }}
            >
              <title>{label}</title>
              <rect x={i * (BAR_W + GAP)} y={0} width={BAR_W} height={HEIGHT + 2} fill="transparent" />
              <rect x={i * (BAR_W + GAP)} y={HEIGHT + 2 - h - 1} width={BAR_W} height={h + 1} class="timeline-fill" />
            </g>
          );
        })}
      </svg>
      {/* The focused or hovered bar's count, for sighted users; screen readers hear the bar's own name. */}
      <p class="timeline-active" aria-hidden="true" data-testid="timeline-active">
        {active === undefined ? '\u00a0' : t('popup_timeline_bar', periodLabel(active, now), counts[active + 1] ?? 0)}
      </p>
      <table class="visually-hidden">
        <caption>{t('popup_timeline_label')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('popup_timeline_period')}</th>
            <th scope="col">{t('popup_timeline_count')}</th>
          </tr>
        </thead>
        <tbody>
          {bars.map((bar, i) => (
            <tr key={bar}>
              <th scope="row">{periodLabel(bar, now)}</th>
              <td>{counts[i] ?? 0}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {selected !== undefined && (
        <button type="button" class="link" onClick={() => onSelect(undefined)}>
          {t('popup_timeline_clear')}
        </button>
      )}
    </figure>
  );
}
