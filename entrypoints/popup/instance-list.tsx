import type { InstanceStatus } from '../../lib/messages';
import { VENDOR_LABELS } from '../../lib/vendors';
import { t } from '../../ext/i18n';
import { InstanceWarnings } from './instance-warnings';
import { credentialLabel, localTime, plural, relativeTime } from '../../ext/ui/format';
import { ConsoleLink } from './key-list';
import { InstanceFlags } from './instance-flags';

interface Props {
  instances: InstanceStatus[];
  now: number;
  exporting: boolean;
  onExport: (instance: string) => void;
}

export function InstanceList({ instances, now, exporting, onExport }: Props) {
  return (
    <ul class="instances" aria-label="Instances">
      {instances.map((inst) => (
        <InstanceRow key={inst.name} inst={inst} now={now} exporting={exporting} onExport={onExport} />
      ))}
    </ul>
  );
}

function InstanceRow({ inst, now, exporting, onExport }: { inst: InstanceStatus } & Omit<Props, 'instances'>) {
  const credential = credentialLabel(inst.credential);
  const b = inst.buckets;
  return (
    <li class={inst.error ? 'instance has-error' : 'instance'} data-testid="instance-row" data-instance={inst.name}>
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
          title={`Export the keys of ${inst.name} as CSV`}
          onClick={() => onExport(inst.name)}
        >
          CSV
        </button>
        {inst.consoleUrl && <ConsoleLink href={inst.consoleUrl} label={t('popup_open_console_instance', inst.name)} text={t('popup_open_console')} />}
      </div>
      <div class="instance-meta">
        {inst.lastRefresh ? (
          <time dateTime={inst.lastRefresh} title={localTime(inst.lastRefresh)}>
            {relativeTime(inst.lastRefresh, now)}
          </time>
        ) : (
          <span>not refreshed yet</span>
        )}
        {credential && <span> · via {credential}</span>}
      </div>
      <div class="instance-counts">
        {plural(b.total, 'key')} · <span class="tone-expired">{b.expired} expired</span> ·{' '}
        <span class="tone-soon">{b.within7} ≤ 7 d</span> · {b.within30} ≤ 30 d · {b.never} never
      </div>
      <InstanceFlags inst={inst} />
      {inst.error && (
        <p class="error" data-testid="instance-error">
          {inst.error}
        </p>
      )}
      <InstanceWarnings inst={inst} />
    </li>
  );
}
