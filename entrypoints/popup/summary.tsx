import type { PopupState } from '../../lib/messages';
import { t, tCount } from '../../ext/i18n';

/**
 * Five cards that partition the keys (docs/design.md#popup-440-px-wide-at-most-600-px-high), so the
 * eye can add them up; a count above zero that needs action takes its colour, zero stays neutral.
 * Automation contract (docs/contract.md#test-ids): each `summary-*` element holds only its count in
 * plain digits, with the meaning of docs/contract.md#buckets. `summary-30d` counts ≤ 30 days
 * *including* ≤ 7 days, so it sits in the line that says "within 30 days", not on the 8–30 card.
 */
export function Summary({ totals, rotate }: { totals: PopupState['totals']; rotate?: number }) {
  const month = totals.within30 - totals.within7;
  const later = totals.total - totals.expired - totals.within30 - totals.never;
  const cards = [
    { id: 'summary-expired', tone: totals.expired ? 'expired' : 'zero', count: totals.expired, label: t('popup_summary_expired') },
    { id: 'summary-7d', tone: totals.within7 ? 'soon' : 'zero', count: totals.within7, label: t('popup_summary_within', 7) },
    { id: undefined, tone: month ? 'plain' : 'zero', count: month, label: t('popup_summary_month') },
    { id: undefined, tone: later ? 'plain' : 'zero', count: later, label: t('popup_summary_later') },
    { id: 'summary-never', tone: totals.never ? 'plain' : 'zero', count: totals.never, label: t('popup_summary_never') },
  ];
  return (
    <section class="summary" aria-label={t('popup_summary_label')}>
      <div class="summary-cards">
        {cards.map((card) => (
          <div key={card.label} class={`summary-item tone-${card.tone}`}>
            <span class="summary-count" data-testid={card.id}>
              {card.count}
            </span>
            <span class="summary-label">{card.label}</span>
          </div>
        ))}
      </div>
      <p class="summary-total">
        {tCount('popup_summary_total', totals.total)}
        <span aria-hidden="true"> · </span>
        {t('popup_summary_within30')}{' '}
        <strong data-testid="summary-30d">{totals.within30}</strong>
        {/* Only under a rotation policy (docs/owners.md): keys older than it, across the cards. */}
        {rotate !== undefined && (
          <>
            <span aria-hidden="true"> · </span>
            <span class="summary-rotate-label">{t('popup_summary_rotate')}</span>{' '}
            <strong class={rotate ? 'tone-soon' : undefined} data-testid="summary-rotate">
              {rotate}
            </strong>
          </>
        )}
      </p>
    </section>
  );
}
