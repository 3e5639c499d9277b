import { useState } from 'preact/hooks';
import { sendMessage } from '../messaging';
import { errorText } from './format';
import { Alert } from './alert';

/** Popup and options both unlock the passphrase-protected store the same way (SPEC §5). */
export function UnlockForm({ onUnlocked }: { onUnlocked: () => void }) {
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

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
    <form class="unlock" data-testid="unlock" onSubmit={submit}>
      <p>KeyAtlas is locked. Enter the passphrase to use the stored credentials.</p>
      <label>
        Passphrase{' '}
        <input
          type="password"
          name="passphrase"
          autocomplete="current-password"
          value={passphrase}
          onInput={(e) => setPassphrase(e.currentTarget.value)}
        />
      </label>{' '}
      <button type="submit" disabled={busy || !passphrase}>
        Unlock
      </button>
      <Alert text={error} />
    </form>
  );
}
