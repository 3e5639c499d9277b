import { useEffect, useState } from 'preact/hooks';
import { AUTO_LOCK_MINUTES, type AutoLockMinutes } from '../../lib/auto-lock';
import { t, type MessageKey } from '../../ext/i18n';
import { sendMessage } from '../../ext/messaging';
import { errorText } from '../../ext/ui/format';
import { UnlockForm } from '../../ext/ui/unlock-form';
import { Alert } from '../../ext/ui/alert';
import { PassphraseField } from '../../ext/ui/passphrase-field';

/** Same floor as the background's `lock:set` schema (lib/messages.ts). */
// docs/contract.md#storage; the background enforces the same minimum (ext/background/instance-store.ts).
const MIN_PASSPHRASE = 12;

interface Props {
  locked: boolean;
  hasPassphrase: boolean;
  onChanged: () => void;
}

export function LockSettings({ locked, hasPassphrase, onChanged }: Props) {
  if (locked) return <UnlockForm onUnlocked={onChanged} />;
  if (!hasPassphrase) return <SetPassphrase onChanged={onChanged} />;
  return <Unlocked onChanged={onChanged} />;
}

/** Runs a lock message and reports its error text; returns whether it succeeded. */
function useLockAction() {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  async function run(action: () => Promise<{ ok: true } | { ok: false; error: string }>): Promise<boolean> {
    setBusy(true);
    setError(undefined);
    try {
      const reply = await action();
      if (!reply.ok) setError(reply.error);
      return reply.ok;
    } catch (err) {
      setError(errorText(err));
      return false;
    } finally {
      setBusy(false);
    }
  }
  return { error, setError, busy, run };
}

function SetPassphrase({ onChanged }: { onChanged: () => void }) {
  const [passphrase, setPassphrase] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const { error, setError, busy, run } = useLockAction();
  // The background refuses unsealed credentials while the policy requires a passphrase: say why here.
  const [required, setRequired] = useState(false);
  useEffect(() => {
    sendMessage('settings:get').then(({ settings }) => setRequired(settings.requirePassphrase), () => setRequired(false));
  }, []);

  async function submit(event: Event) {
    event.preventDefault();
    if (passphrase.length < MIN_PASSPHRASE) return setError(t('options_lock_tooShort', MIN_PASSPHRASE));
    if (passphrase !== confirmation) return setError(t('options_lock_mismatch'));
    if (await run(() => sendMessage('lock:set', { passphrase }))) onChanged();
  }

  return (
    <form class="lock-set form" onSubmit={submit}>
      {required && (
        <p class="warning" role="note" data-testid="passphrase-required">
          {t('options_lock_requiredUnsealed')}
        </p>
      )}
      <p class="help">{t('options_lock_help')}</p>
      <PassphraseField
        id="new-passphrase"
        label={t('options_passphrase')}
        autocomplete="new-password"
        describedBy="new-passphrase-help"
        value={passphrase}
        onInput={setPassphrase}
      >
        <p class="help" id="new-passphrase-help">
          {t('options_lock_minHelp', MIN_PASSPHRASE)}
        </p>
      </PassphraseField>
      <PassphraseField id="confirm-passphrase" label={t('options_repeat')} autocomplete="new-password" value={confirmation} onInput={setConfirmation} />
      <div class="form-actions">
        <button type="submit" disabled={busy}>
          {t('options_setPassphrase')}
        </button>
      </div>
      <Alert text={error} />
    </form>
  );
}

function Unlocked({ onChanged }: { onChanged: () => void }) {
  const [passphrase, setPassphrase] = useState('');
  const { error, busy, run } = useLockAction();

  async function lockNow() {
    if (await run(() => sendMessage('lock:lock'))) onChanged();
  }

  async function remove(event: Event) {
    event.preventDefault();
    if (await run(() => sendMessage('lock:remove', { passphrase }))) onChanged();
  }

  return (
    <div class="lock-unlocked form">
      <p class="lock-status">{t('options_lock_unlocked')}</p>
      <div class="form-actions">
        <button type="button" disabled={busy} onClick={() => void lockNow()}>
          {t('options_lockNow')}
        </button>
      </div>
      <form class="lock-remove form" onSubmit={remove}>
        <PassphraseField id="current-passphrase" label={t('options_passphrase')} autocomplete="current-password" value={passphrase} onInput={setPassphrase} />
        <div class="form-actions">
          <button type="submit" disabled={busy || !passphrase}>
            {t('options_removePassphrase')}
          </button>
        </div>
      </form>
      <AutoLockSetting />
      <Alert text={error} />
    </div>
  );
}

const AUTO_LOCK_LABELS: Record<AutoLockMinutes, MessageKey> = { 0: 'options_autoLock_off', 15: 'options_autoLock_15m', 60: 'options_autoLock_1h', 240: 'options_autoLock_4h' };

/** docs/contract.md#secrets-at-rest idle auto-lock; the background enforces it, this only shows and changes the choice. */
function AutoLockSetting() {
  const [minutes, setMinutes] = useState<AutoLockMinutes>();
  const { error, run } = useLockAction();

  useEffect(() => {
    sendMessage('autoLock:get')
      .then((reply) => setMinutes(reply.minutes))
      .catch(() => setMinutes(0));
  }, []);

  async function choose(value: AutoLockMinutes) {
    const before = minutes;
    setMinutes(value);
    if (!(await run(() => sendMessage('autoLock:set', { minutes: value })))) setMinutes(before);
  }

  if (minutes === undefined) return null;
  return (
    <div class="lock-auto field">
      <label for="auto-lock">{t('options_autoLock_label')}</label>
      <select id="auto-lock" name="auto-lock" aria-describedby="auto-lock-help" value={String(minutes)} onChange={(e) => void choose(Number(e.currentTarget.value) as AutoLockMinutes)}>
        {AUTO_LOCK_MINUTES.map((m) => (
          <option value={String(m)}>{t(AUTO_LOCK_LABELS[m])}</option>
        ))}
      </select>
      <p id="auto-lock-help" class="help">
        {t('options_autoLock_help')}
      </p>
      <Alert text={error} />
    </div>
  );
}
