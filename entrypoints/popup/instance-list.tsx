import type { ComponentChildren } from 'preact';
import type { InstanceStatus } from '../../lib/messages';
import { outcomeOf } from '../../lib/outcome';
import { VENDOR_LABELS } from '../../lib/vendors';
import { t, tCount } from '../../ext/i18n';
import { InstanceWarnings } from './instance-warnings';
import { coverageLabel, credentialLabel, grouped, localTime, relativeTime } from '../../ext/ui/format';
import { readState, ReadStateMark } from '../../ext/ui/read-state';
import { ConsoleLink } from './key-list';
import { InstanceFlags } from './instance-flags';
import { InstanceFailure } from './instance-failure';

interface Props {
  instances: InstanceStatus[];
  now: number;
  exporting: boolean;
  onExport: (instance: string) => void;
  /** The refresh button and its progress, beside the verdict they change. */
  children?: ComponentChildren;
}

/**
 * The popup's first answer (docs/design.md#popup-440-px-wide-at-most-600-px-high): is the list
 * complete and fresh? A verdict over every instance, then each instance's state, when, coverage
 * and the counts that need action.
 */
export function InstanceList({ instances, now, exporting, onExport, children }: Props) {
  return (
    <section class="health" aria-labelledby="health-verdict">
      <div class="health-head">
        <Verdict instances={instances} now={now} />
        {children}
      </div>
      <ul class="instances" aria-label={t('popup_instances_label')}>
        {instances.map((inst) => (
          <InstanceRow key={inst.name} inst={inst} now={now} exporting={exporting} onExport={onExport} />
        ))}
      </ul>
    </section>
  );
}

function Verdict({ instances, now }: { instances: InstanceStatus[]; now: number }) {
  const states = instances.map(readState);
  const total = instances.length;
  const count = (...wanted: string[]) => states.filter((s) => wanted.includes(s)).length;
  const problems = count('failed', 'incomplete', 'parked');
  const unread = count('unread');
  const warned = count('warnings');
  const [tone, text] = problems
    ? ['failed', t('popup_health_problems', problems, total)]
    : unread
      ? ['unread', t('popup_health_unread', unread, total)]
      : warned
        ? ['warnings', t('popup_health_warnings', warned)]
        : ['ok', tCount('popup_health_ok', total)];
  // The list is as fresh as its oldest read.
  const oldest = instances
    .map((inst) => inst.lastRefresh)
    .filter((at): at is string => !!at)
    .sort()[0];
  return (
    <h2 class="verdict" id="health-verdict" data-testid="health-verdict" data-state={tone}>
      <span class={`state state-${tone}`}>{text}</span>
      {oldest && (
        <time class="verdict-time" dateTime={oldest} title={t('popup_health_oldest', localTime(oldest))}>
          {t('popup_health_asOf', relativeTime(oldest, now))}
        </time>
      )}
    </h2>
  );
}

function InstanceRow({ inst, now, exporting, onExport }: { inst: InstanceStatus } & Omit<Props, 'instances' | 'children'>) {
  const b = inst.buckets;
  const vendor = VENDOR_LABELS[inst.vendor] ?? inst.vendor;
  const exportLabel = t('popup_exportInstance', inst.name);
  // The last read's outcome as the CLI and the evidence file name it (docs/contract.md): for automation, in English.
  const outcome = inst.ok === null ? undefined : outcomeOf(inst.ok ? undefined : (inst.errorKind ?? 'failed'), inst.warnings ?? []);
  return (
    <li class={`instance state-row-${readState(inst)}`} data-testid="instance-row" data-instance={inst.name} data-outcome={outcome}>
      <div class="instance-head">
        <span class="instance-name ellipsis" title={inst.name}>
          {inst.name}
        </span>
        <span class="instance-vendor ellipsis" title={vendor}>
          {vendor}
        </span>
        {inst.managed && (
          <span class="badge" data-testid="managed" title={t('popup_managedTitle')}>
            {t('popup_managedBadge')}
          </span>
        )}
        <span class="instance-actions">
          <button type="button" class="instance-export" disabled={exporting} aria-label={exportLabel} title={exportLabel} onClick={() => onExport(inst.name)}>
            {t('popup_exportInstance_short')}
          </button>
          {inst.consoleUrl && <ConsoleLink href={inst.consoleUrl} label={t('popup_open_console_instance', inst.name)} text={t('popup_open_console')} />}
        </span>
      </div>
      {/* Each part stays whole; the line wraps only between them. */}
      <div class="instance-meta">
        <div class="meta-items">
        <ReadStateMark inst={inst} />
        {inst.lastRefresh ? (
          <time dateTime={inst.lastRefresh} title={localTime(inst.lastRefresh)}>
            {relativeTime(inst.lastRefresh, now)}
          </time>
        ) : (
          <span>{t('popup_notRefreshed')}</span>
        )}
        {inst.coverage && (
          <span title={t('popup_coverageTitle')}>
            {t('popup_coverage')}{' '}
            <span data-testid="instance-coverage" data-coverage={inst.coverage}>
              {coverageLabel(inst.coverage)}
            </span>
          </span>
        )}
        {inst.credential === 'session' && <span>{t('popup_via', credentialLabel(inst.credential)!)}</span>}
        <span>{tCount('popup_rowKeys', b.total)}</span>
        {b.expired > 0 && <span class="tone-expired">{t('popup_rowExpired', grouped(b.expired))}</span>}
        {b.within7 > 0 && <span class="tone-soon">{t('popup_rowWithin', grouped(b.within7), 7)}</span>}
        {inst.orphaned ? (
          <span class="tone-expired" data-testid="instance-orphaned">
            {tCount('popup_instance_orphaned', inst.orphaned)}
          </span>
        ) : null}
        </div>
      </div>
      <InstanceFlags inst={inst} />
      <InstanceFailure inst={inst} />
      <InstanceWarnings inst={inst} />
    </li>
  );
}
