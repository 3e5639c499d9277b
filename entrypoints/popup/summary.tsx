import type { PopupState } from '../../lib/messages';

/** SPEC §5 automation contract: each count sits alone in its data-testid element, the label beside it. */
export function Summary({ totals }: { totals: PopupState['totals'] }) {
  const items = [
    { id: 'summary-expired', tone: 'expired', count: totals.expired, label: 'expired' },
    { id: 'summary-7d', tone: 'soon', count: totals.within7, label: '≤ 7 days' },
    { id: 'summary-30d', tone: 'later', count: totals.within30, label: '≤ 30 days' },
    { id: 'summary-never', tone: 'never', count: totals.never, label: 'never expire' },
  ];
  return (
    <section class="summary" aria-label="Keys over all instances">
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
