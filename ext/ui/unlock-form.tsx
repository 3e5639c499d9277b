import { useId, useState } from 'preact/hooks';
import { t } from '../i18n';
import { sendMessage } from '../messaging';
import { errorText } from './format';
import { Alert } from './alert';

/** Popup and options both unlock the passphrase-protected store the same way (docs/contract.md#storage). */
export function UnlockForm({ onUnlocked }: { onUnlocked: () => void }) {
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const errorId = useId();
  const fieldId = useId();

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const reply = await sendMessage('lock:unlock', { passphrase });
      if (reply.ok) {
        setPassphrase('');
        onUnlocked();
      } else setError(reply.error);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="unlock form" data-testid="unlock" onSubmit={submit}>
      <p class="unlock-intro">{t('popup_unlock_intro')}</p>
      <div class="field">
        <label for={fieldId}>{t('popup_unlock_passphrase')}</label>
        <input
          type="password"
          id={fieldId}
          name="passphrase"
          autocomplete="current-password"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          value={passphrase}
          onInput={(e) => setPassphrase(e.currentTarget.value)}
        />
      </div>
      <div class="form-actions">
        <button type="submit" class="primary" disabled={busy || !passphrase}>
          {t('popup_unlock_submit')}
        </button>
      </div>
      <Alert text={error} id={errorId} />
    </form>
  );
}
