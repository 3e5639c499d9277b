import { useState } from 'preact/hooks';
import { t } from '../../ext/i18n';
import { shortDay } from '../../ext/ui/format';
import { TIMELINE_WEEKS, type TimelineBar } from '../../ext/ui/keys-view';

/** One slot per bar across the popup's width; the expired bar stands apart from the weeks. */
const SLOT = 30;
const BAR_W = 22;
const APART = 10;
const BARS_H = 44;
/** Room above the bars for their counts, and below the axis for the week labels. */
const TOP = 14;
const LABELS = 16;
/** Weeks whose start date is written under the axis. */
const LABELLED_WEEKS = [0, 4, 8];

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
 * The expiry timeline (docs/contract.md#ahead-of-expiry): expired, then each of the next 12 weeks,
 * as an inline SVG (no chart library: the popup's 20 kB budget) with its count over each bar, an
 * axis with week dates under it and a legend. Each bar is a button: focus or hover names its
 * period, a click filters the key list to it. Screen readers get the same numbers as a table.
 */
export function Timeline({ counts, now, selected, onSelect }: Props) {
  const [active, setActive] = useState<TimelineBar>();
  const max = Math.max(1, ...counts);
  const barHeight = (count: number) => (count ? Math.max(3, Math.round((count / max) * BARS_H)) : 0);
  const bars: TimelineBar[] = [-1, ...Array.from({ length: TIMELINE_WEEKS }, (_, i) => i)];
  const slotX = (i: number) => i * SLOT + (i > 0 ? APART : 0);
  const width = slotX(bars.length - 1) + SLOT;
  const axisY = TOP + BARS_H;
  return (
    <figure class="timeline">
      <figcaption class="timeline-caption">{t('popup_timeline_label')}</figcaption>
      <svg class="timeline-chart" viewBox={`0 0 ${width} ${axisY + LABELS}`} width={width} height={axisY + LABELS} role="group" aria-label={t('popup_timeline_label')}>
        {bars.map((bar, i) => {
          const count = counts[i] ?? 0;
          const h = barHeight(count);
          const x = slotX(i) + (SLOT - BAR_W) / 2;
          const label = t('popup_timeline_bar', periodLabel(bar, now), count);
          const tone = bar === -1 ? 'expired' : bar === 0 ? 'soon' : 'later';
          return (
            <g
              key={bar}
              role="button"
              tabIndex={0}
              aria-label={label}
              aria-pressed={selected === bar}
              class={`timeline-bar tone-${tone}${selected === bar ? ' selected' : ''}`}
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
              <rect x={slotX(i)} y={0} width={SLOT} height={axisY + LABELS} fill="transparent" />
              {count > 0 && <rect x={x} y={axisY - h} width={BAR_W} height={h} rx={2} class="timeline-fill" />}
            </g>
          );
        })}
        {/* The counts over the bars, outside the bar buttons: each button's name already says its count. */}
        <g aria-hidden="true">
          {bars.map((bar, i) => {
            const count = counts[i] ?? 0;
            return (
              count > 0 && (
                <text key={bar} x={slotX(i) + SLOT / 2} y={axisY - barHeight(count) - 3} text-anchor="middle" class="timeline-count">
                  {count}
                </text>
              )
            );
          })}
        </g>
        <line x1={0} x2={width} y1={axisY + 0.5} y2={axisY + 0.5} class="timeline-axis" />
        {LABELLED_WEEKS.map((week) => (
          <g key={week} aria-hidden="true">
            <line x1={slotX(week + 1) + 0.5} x2={slotX(week + 1) + 0.5} y1={axisY} y2={axisY + 4} class="timeline-axis" />
            <text x={slotX(week + 1) + 2} y={axisY + LABELS - 2} class="timeline-tick">
              {shortDay(now + week * 7 * 86_400_000)}
            </text>
          </g>
        ))}
      </svg>
      <ul class="timeline-legend" aria-hidden="true">
        <li class="tone-expired">{t('popup_timeline_expired')}</li>
        <li class="tone-soon">{t('popup_timeline_legendWeek')}</li>
        <li class="tone-later">{t('popup_timeline_legendLater')}</li>
      </ul>
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
