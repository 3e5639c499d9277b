import { useState } from 'preact/hooks';
import type { InstanceView } from '../../lib/messages';
import { VENDOR_LABELS } from '../../lib/vendors';
import { sendMessage } from '../../ext/messaging';
import { errorText } from '../../ext/ui/format';
import { Alert } from '../../ext/ui/alert';
import { t, tCount } from '../../ext/i18n';

interface Props {
  instances: InstanceView[];
  onEdit: (instance: InstanceView) => void;
  onRemoved: () => void;
}

export function InstanceList({ instances, onEdit, onRemoved }: Props) {
  if (instances.length === 0) return <p class="empty">{t('options_list_empty')}</p>;
  return (
    <ul class="instance-list">
      {instances.map((inst) => (
        <InstanceItem key={inst.name} inst={inst} onEdit={onEdit} onRemoved={onRemoved} />
      ))}
    </ul>
  );
}

type TestResult = { kind: 'running' } | { kind: 'ok'; count: number } | { kind: 'failed'; error: string };

function InstanceItem({ inst, onEdit, onRemoved }: { inst: InstanceView } & Omit<Props, 'instances'>) {
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

  return (
    <li class="instance-item" data-instance={inst.name}>
      <div class="instance-line">
        <strong>{inst.name}</strong> <span class="muted">{VENDOR_LABELS[inst.vendor] ?? inst.vendor}</span>{' '}
        {inst.url && <span class="muted url">{inst.url}</span>}
        {inst.managed && (
          <span class="badge" data-testid="managed" title={t('options_managedHelp')}>
            {t('options_managedBadge')}
          </span>
        )}
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
