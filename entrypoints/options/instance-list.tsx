import { useState } from 'preact/hooks';
import type { InstanceStatus, InstanceView } from '../../lib/messages';
import { isPlainHttpRemote } from '../../lib/cleartext';
import { VENDOR_LABELS } from '../../lib/vendors';
import { sendMessage } from '../../ext/messaging';
import { errorText, localTime, relativeTime } from '../../ext/ui/format';
import { ReadStateMark } from '../../ext/ui/read-state';
import { Alert } from '../../ext/ui/alert';
import { t, tCount } from '../../ext/i18n';

interface Props {
  instances: InstanceView[];
  /** The last read of each instance, by name (absent before its first refresh). */
  statuses: ReadonlyMap<string, InstanceStatus>;
  now: number;
  onEdit: (instance: InstanceView) => void;
  onRemoved: () => void;
}

export function InstanceList({ instances, statuses, now, onEdit, onRemoved }: Props) {
  if (instances.length === 0) return <p class="empty">{t('options_list_empty')}</p>;
  return (
    <ul class="instance-list">
      {instances.map((inst) => (
        <InstanceItem key={inst.name} inst={inst} status={statuses.get(inst.name)} now={now} onEdit={onEdit} onRemoved={onRemoved} />
      ))}
    </ul>
  );
}

type TestResult = { kind: 'running' } | { kind: 'ok'; count: number } | { kind: 'failed'; error: string };

type ItemProps = { inst: InstanceView; status: InstanceStatus | undefined } & Omit<Props, 'instances' | 'statuses'>;

function InstanceItem({ inst, status, now, onEdit, onRemoved }: ItemProps) {
  const [test, setTest] = useState<TestResult>();
  const [removeError, setRemoveError] = useState<string>();

  async function runTest() {
    setTest({ kind: 'running' });
    try {
      const reply = await sendMessage('instances:test', { name: inst.name });
      setTest(reply.ok ? { kind: 'ok', count: reply.count } : { kind: 'failed', error: reply.error });
    } catch (err) {
      setTest({ kind: 'failed', error: errorText(err) });
    }
  }

  async function remove() {
    if (!confirm(t('options_removeConfirm', inst.name))) return;
    setRemoveError(undefined);
    try {
      const reply = await sendMessage('instances:remove', { name: inst.name });
      if (reply.ok) onRemoved();
      else setRemoveError(reply.error);
    } catch (err) {
      setRemoveError(errorText(err));
    }
  }

  const vendor = VENDOR_LABELS[inst.vendor] ?? inst.vendor;
  return (
    <li class="instance-item" data-instance={inst.name}>
      <div class="instance-line">
        <div class="instance-id">
          <strong class="instance-name ellipsis" title={inst.name}>
            {inst.name}
          </strong>
          <span class="muted">{vendor}</span>
          {inst.managed && (
            <span class="badge" data-testid="managed" title={t('options_managedHelp')}>
              {t('options_managedBadge')}
            </span>
          )}
        </div>
        <span class="buttons">
          <button type="button" aria-label={t('options_editLabel', inst.name)} onClick={() => onEdit(inst)}>
            {t('options_edit')}
          </button>
          <button type="button" aria-label={t('options_testLabel', inst.name)} disabled={test?.kind === 'running'} onClick={() => void runTest()}>
            {t('options_test')}
          </button>
          {/* Managed instances cannot be removed (the background refuses too). */}
          {!inst.managed && (
            <button type="button" aria-label={t('options_removeLabel', inst.name)} onClick={() => void remove()}>
              {t('options_remove')}
            </button>
          )}
        </span>
      </div>
      {inst.url && (
        <div class="muted url ellipsis" title={inst.url}>
          {inst.url}
        </div>
      )}
      <ReadStatus status={status} now={now} />
      {isPlainHttpRemote(inst.url) && (
        <p class="warning" data-testid="instance-plain-http">
          {t('popup_instancePlainHttp')}
        </p>
      )}
      <div role="status">
        {test?.kind === 'running' && <p class="status">{t('options_testing')}</p>}
        {test?.kind === 'ok' && (
          <p class="ok" data-testid="test-result">
            {tCount('options_testOk', test.count)}
          </p>
        )}
      </div>
      {test?.kind === 'failed' && (
        <p class="error" role="alert" data-testid="test-result">
          {test.error}
        </p>
      )}
      <Alert text={removeError} />
    </li>
  );
}

/** The last read as the popup shows it: state, when, and what went wrong (the engine's English detail). */
function ReadStatus({ status, now }: { status: InstanceStatus | undefined; now: number }) {
  const facts = status ?? { lastRefresh: null };
  return (
    <div class="read-status" data-testid="read-status">
      <p class="read-line">
        <ReadStateMark inst={facts} />
        {status?.lastRefresh && (
          <>
            <span aria-hidden="true"> · </span>
            <time dateTime={status.lastRefresh} title={localTime(status.lastRefresh)}>
              {relativeTime(status.lastRefresh, now)}
            </time>
          </>
        )}
      </p>
      {status?.error && (
        <p class="error-detail error" lang="en">
          {status.error}
        </p>
      )}
      {!!status?.warnings?.length && (
        <ul class="warnings" aria-label={t('popup_instanceWarnings', status.name)}>
          {status.warnings.map((warning) => (
            <li key={warning} class="warning" lang="en">
              {warning}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
