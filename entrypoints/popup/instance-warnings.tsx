import type { InstanceStatus } from '../../lib/messages';
import { t } from '../../ext/i18n';

/**
 * SPEC §1 inside an instance row: an `incomplete` read says so in words beside its error, and each
 * warning of an "ok with warnings" read is listed (`instance-warning`, one per warning).
 */
export function InstanceWarnings({ inst }: { inst: Pick<InstanceStatus, 'name' | 'errorKind' | 'warnings'> }) {
  const warnings = inst.warnings ?? [];
  return (
    <>
      {inst.errorKind === 'incomplete' && <p class="error">{t('popup_instanceIncomplete')}</p>}
      {warnings.length > 0 && (
        <ul class="warnings" aria-label={t('popup_instanceWarnings', inst.name)}>
          {warnings.map((warning) => (
            <li key={warning} class="warning" data-testid="instance-warning">
              {warning}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
