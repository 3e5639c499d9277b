import type { PopupState } from '../../lib/messages';
import { t } from '../../ext/i18n';

/**
 * SPEC §5 automation contract: each count sits alone in its data-testid element, the label beside it;
 * the count stays plain digits (no Intl grouping) so scripts read it as a number.
 */
export function Summary({ totals, rotate }: { totals: PopupState['totals']; rotate?: number }) {
  const items = [
    { id: 'summary-expired', tone: 'expired', count: totals.expired, label: t('popup_summary_expired') },
    { id: 'summary-7d', tone: 'soon', count: totals.within7, label: t('popup_summary_within', 7) },
    { id: 'summary-30d', tone: 'later', count: totals.within30, label: t('popup_summary_within', 30) },
    { id: 'summary-never', tone: 'never', count: totals.never, label: t('popup_summary_never') },
    // Only under a rotation policy (docs/owners.md): keys older than it.
    ...(rotate === undefined ? [] : [{ id: 'summary-rotate', tone: 'rotate', count: rotate, label: t('popup_summary_rotate') }]),
  ];
  return (
    <section class="summary" aria-label={t('popup_summary_label')}>
      {items.map((item) => (
        <div key={item.id} class={`summary-item tone-${item.tone}`}>
          <span class="summary-count" data-testid={item.id}>
            {item.count}
          </span>
          <span class="summary-label">{item.label}</span>
        </div>
      ))}
    </section>
  );
}
