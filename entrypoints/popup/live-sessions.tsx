import { useEffect, useState } from 'preact/hooks';
import type { LiveConsole } from '../../lib/messages';
import { VENDOR_LABELS } from '../../lib/vendors';
import { sendMessage } from '../../ext/messaging';
import { Alert } from '../../ext/ui/alert';
import { t } from '../../ext/i18n';
import { errorText } from '../../ext/ui/format';
import { savedText, type KeyMode } from './export-bar';

type Status = { origin: string; kind: 'running' } | { origin: string; kind: 'done' | 'failed'; text: string };

/**
 * Consoles the user is logged into that have no configured instance (docs/contract.md#console-sessions): one click exports
 * each with the console's own session, zero setup. The background never sends the session here.
 * `passphrase` gives the export bar's passphrase for a full-key export.
 */
export function LiveSessions({ mode, passphrase = () => ({}) }: { mode: KeyMode; passphrase?: () => { passphrase?: string } }) {
  const [consoles, setConsoles] = useState<LiveConsole[]>([]);
  const [status, setStatus] = useState<Status>();

  useEffect(() => {
    sendMessage('sessions:list').then(setConsoles, () => setConsoles([]));
  }, []);

  async function exportOne(origin: string) {
    setStatus({ origin, kind: 'running' });
    try {
      const reply = await sendMessage('export:session', { origin, keys: mode, ...passphrase() });
      setStatus(reply.ok ? { origin, kind: 'done', text: savedText(reply.fileName, reply.rows) } : { origin, kind: 'failed', text: reply.error });
    } catch (err) {
      setStatus({ origin, kind: 'failed', text: errorText(err) });
    }
  }

  if (!consoles.length) return null;
  return (
    <section class="live-sessions" aria-labelledby="live-sessions-heading">
      <h2 id="live-sessions-heading">{t('popup_liveSessions_heading')}</h2>
      <ul>
        {consoles.map(({ origin, vendor }) => {
          const host = new URL(origin).host;
          const outcome = status?.origin === origin && status.kind !== 'running' ? status : undefined;
          return (
            <li key={origin} data-testid="live-session" data-origin={origin}>
              <span class="instance-name">{host}</span> <span class="instance-vendor">{VENDOR_LABELS[vendor]}</span>
              <button
                type="button"
                aria-label={t('popup_liveSessions_exportHost', host)}
                disabled={status?.kind === 'running'}
                onClick={() => void exportOne(origin)}
              >
                {t('popup_liveSessions_export')}
              </button>
              <div role="status">{outcome?.kind === 'done' && <p class="ok">{outcome.text}</p>}</div>
              {outcome?.kind === 'failed' && <Alert headline={t('popup_exportFailed')} text={outcome.text} />}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
