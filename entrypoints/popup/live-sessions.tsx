import { useEffect, useState } from 'preact/hooks';
import type { LiveConsole } from '../../lib/messages';
import { VENDOR_LABELS } from '../../lib/vendors';
import { sendMessage } from '../../ext/messaging';
import { errorText, plural } from '../../ext/ui/format';
import type { KeyMode } from './export-bar';

type Status = { origin: string; kind: 'running' } | { origin: string; kind: 'done' | 'failed'; text: string };

/**
 * Consoles the user is logged into that have no configured instance (issue G): one click exports
 * each with the console's own session, zero setup. The background never sends the session here.
 */
export function LiveSessions({ mode }: { mode: KeyMode }) {
  const [consoles, setConsoles] = useState<LiveConsole[]>([]);
  const [status, setStatus] = useState<Status>();

  useEffect(() => {
    sendMessage('sessions:list').then(setConsoles, () => setConsoles([]));
  }, []);

  async function exportOne(origin: string) {
    setStatus({ origin, kind: 'running' });
    try {
      const reply = await sendMessage('export:session', { origin, keys: mode });
      setStatus(reply.ok ? { origin, kind: 'done', text: `Saved ${reply.fileName} (${plural(reply.rows, 'row')})` } : { origin, kind: 'failed', text: reply.error });
    } catch (err) {
      setStatus({ origin, kind: 'failed', text: errorText(err) });
    }
  }

  if (!consoles.length) return null;
  return (
    <section class="live-sessions" aria-label="Live console sessions">
      <h2>Live console sessions</h2>
      <ul>
        {consoles.map(({ origin, vendor }) => (
          <li key={origin} data-testid="live-session" data-origin={origin}>
            <span class="instance-name">{new URL(origin).host}</span> <span class="instance-vendor">{VENDOR_LABELS[vendor]}</span>
            <button type="button" disabled={status?.kind === 'running'} onClick={() => void exportOne(origin)}>
              Export with your current session
            </button>
            {status?.origin === origin && status.kind !== 'running' && (
              <p class={status.kind === 'done' ? 'ok' : 'error'} role={status.kind === 'failed' ? 'alert' : undefined}>
                {status.text}
              </p>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
