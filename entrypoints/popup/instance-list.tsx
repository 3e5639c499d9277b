import type { InstanceStatus } from '../../lib/messages';
import { outcomeOf } from '../../lib/outcome';
import { VENDOR_LABELS } from '../../lib/vendors';
import { t, tCount } from '../../ext/i18n';
import { InstanceWarnings } from './instance-warnings';
import { coverageLabel, credentialLabel, grouped, localTime, relativeTime } from '../../ext/ui/format';
import { ConsoleLink } from './key-list';
import { InstanceFlags } from './instance-flags';
import { InstanceFailure } from './instance-failure';

interface Props {
  instances: InstanceStatus[];
  now: number;
  exporting: boolean;
  onExport: (instance: string) => void;
}

export function InstanceList({ instances, now, exporting, onExport }: Props) {
  return (
    <ul class="instances" aria-label={t('popup_instances_label')}>
      {instances.map((inst) => (
        <InstanceRow key={inst.name} inst={inst} now={now} exporting={exporting} onExport={onExport} />
      ))}
    </ul>
  );
}

function InstanceRow({ inst, now, exporting, onExport }: { inst: InstanceStatus } & Omit<Props, 'instances'>) {
  const credential = credentialLabel(inst.credential);
  const b = inst.buckets;
  const exportLabel = t('popup_exportInstance', inst.name);
  // As the CLI and the evidence file name it (docs/contract.md): for automation, in English.
  const outcome = inst.ok === null ? undefined : outcomeOf(inst.ok ? undefined : (inst.errorKind ?? 'failed'), inst.warnings ?? []);
  return (
    <li class={inst.error ? 'instance has-error' : 'instance'} data-testid="instance-row" data-instance={inst.name} data-outcome={outcome}>
      <div class="instance-head">
        <span class="instance-name">{inst.name}</span>
        <span class="instance-vendor">{VENDOR_LABELS[inst.vendor] ?? inst.vendor}</span>
        {inst.managed && (
          <span class="badge" data-testid="managed" title={t('popup_managedTitle')}>
            {t('popup_managedBadge')}
          </span>
        )}
        <button
          type="button"
          class="instance-export"
          disabled={exporting}
          aria-label={exportLabel}
          title={exportLabel}
          onClick={() => onExport(inst.name)}
        >
          {t('popup_exportInstance_short')}
        </button>
        {inst.consoleUrl && <ConsoleLink href={inst.consoleUrl} label={t('popup_open_console_instance', inst.name)} text={t('popup_open_console')} />}
      </div>
      <div class="instance-meta">
        {inst.lastRefresh ? (
          <time dateTime={inst.lastRefresh} title={localTime(inst.lastRefresh)}>
            {relativeTime(inst.lastRefresh, now)}
          </time>
        ) : (
          <span>{t('popup_notRefreshed')}</span>
        )}
        {credential && <span> · {t('popup_via', credential)}</span>}
        {inst.coverage && (
          <span title={t('popup_coverageTitle')}>
            {' · '}
            {t('popup_coverage')}{' '}
            <span data-testid="instance-coverage" data-coverage={inst.coverage}>
              {coverageLabel(inst.coverage)}
            </span>
          </span>
        )}
      </div>
      <div class="instance-counts">
        {tCount('popup_rowKeys', b.total)} · <span class="tone-expired">{t('popup_rowExpired', grouped(b.expired))}</span> ·{' '}
        <span class="tone-soon">{t('popup_rowWithin', grouped(b.within7), 7)}</span> · {t('popup_rowWithin', grouped(b.within30), 30)} ·{' '}
        {t('popup_rowNever', grouped(b.never))}
      </div>
      <InstanceFlags inst={inst} />
      <InstanceFailure inst={inst} />
      <InstanceWarnings inst={inst} />
    </li>
  );
}
