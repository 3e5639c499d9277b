import { useId, useState } from 'preact/hooks';
import { t } from '../i18n';
import { sendMessage } from '../messaging';
import { errorText } from './format';
import { Alert } from './alert';
import { PassphraseField } from './passphrase-field';

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
      <PassphraseField
        id={fieldId}
        name="passphrase"
        label={t('popup_unlock_passphrase')}
        autocomplete="current-password"
        invalid={!!error}
        describedBy={error ? errorId : undefined}
        value={passphrase}
        onInput={setPassphrase}
      />
      <div class="form-actions">
        <button type="submit" class="primary" disabled={busy || !passphrase}>
          {t('popup_unlock_submit')}
        </button>
      </div>
      <Alert text={error} id={errorId} />
    </form>
  );
}
