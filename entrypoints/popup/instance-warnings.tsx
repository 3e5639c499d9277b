import type { InstanceStatus } from '../../lib/messages';
import { t } from '../../ext/i18n';

/**
 * docs/contract.md#outcomes inside an instance row: each warning of an "ok with warnings" read is listed
 * (`instance-warning`, one per warning); an `incomplete` read is a failure (instance-failure.tsx).
 * Warnings come from lib/ in English, like the CLI's.
 */
export function InstanceWarnings({ inst }: { inst: Pick<InstanceStatus, 'name' | 'warnings'> }) {
  const warnings = inst.warnings ?? [];
  if (!warnings.length) return null;
  return (
    <ul class="warnings" aria-label={t('popup_instanceWarnings', inst.name)}>
      {warnings.map((warning) => (
        <li key={warning} class="warning" data-testid="instance-warning" lang="en">
          {warning}
        </li>
      ))}
    </ul>
  );
}
