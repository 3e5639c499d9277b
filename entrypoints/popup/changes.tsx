import type { InstanceStatus, KeyChange } from '../../lib/messages';
import { t } from '../../ext/i18n';
import { localTime } from '../../ext/ui/format';

const expiry = (iso: string) => (iso ? localTime(iso) : t('popup_never'));

function changeText(change: KeyChange): string {
  if (change.kind === 'added') return t('popup_change_added', expiry(change.after));
  if (change.kind === 'removed') return t('popup_change_removed');
  return t('popup_change_expiry', expiry(change.before), expiry(change.after));
}

/** docs/contract.md#ahead-of-expiry: per instance, what changed since its previous successful refresh; nothing before a second one. */
export function Changes({ instances }: { instances: InstanceStatus[] }) {
  const changed = instances.filter((inst) => inst.changes && inst.changes.added + inst.changes.removed + inst.changes.expiry > 0);
  if (!changed.length) return null;
  return (
    <section class="changes" data-testid="changes" aria-label={t('popup_changes_heading')}>
      <h2>{t('popup_changes_heading')}</h2>
      {changed.map(({ name, changes }) => (
        <details key={name} data-instance={name}>
          <summary>{t('popup_changes_line', name, changes!.added, changes!.removed, changes!.expiry)}</summary>
          <ul>
            {changes!.items.map((c) => (
              <li key={`${c.kind}\u0000${c.key_id}\u0000${c.owner}`}>
                {c.owner}
                {c.key_id && ` #${c.key_id}`}
                {c.description && ` “${c.description}”`}: {changeText(c)}
              </li>
            ))}
          </ul>
        </details>
      ))}
    </section>
  );
}
