import { useState } from 'preact/hooks';
import type { InstanceView } from '../../lib/messages';
import { VENDOR_LABELS } from '../../lib/vendors';
import { sendMessage } from '../../ext/messaging';
import { errorText, plural } from '../../ext/ui/format';
import { Alert } from '../../ext/ui/alert';
import { t } from '../../ext/i18n';

interface Props {
  instances: InstanceView[];
  onEdit: (instance: InstanceView) => void;
  onRemoved: () => void;
}

export function InstanceList({ instances, onEdit, onRemoved }: Props) {
  if (instances.length === 0) return <p class="empty">No instances yet: add one below or import a config file.</p>;
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
    if (!confirm(`Remove ${inst.name}? Its stored credentials are deleted.`)) return;
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
          <button type="button" onClick={() => onEdit(inst)}>
            Edit
          </button>
          <button type="button" disabled={test?.kind === 'running'} onClick={() => void runTest()}>
            Test
          </button>
          {/* Managed instances cannot be removed (the background refuses too). */}
          {!inst.managed && (
            <button type="button" onClick={() => void remove()}>
              Remove
            </button>
          )}
        </span>
      </div>
      {test?.kind === 'running' && <p class="status">Testing…</p>}
      {test?.kind === 'ok' && (
        <p class="ok" data-testid="test-result">
          OK: {plural(test.count, 'key')} read
        </p>
      )}
      {test?.kind === 'failed' && (
        <p class="error" role="alert" data-testid="test-result">
          {test.error}
        </p>
      )}
      <Alert text={removeError} />
    </li>
  );
}
