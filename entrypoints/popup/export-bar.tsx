import type { ExtensionProtocol } from '../../lib/messages';
import { plural } from '../../ext/ui/format';

export type KeyMode = Parameters<ExtensionProtocol['export']>[0]['keys'];

export type ExportStatus =
  | { kind: 'idle' }
  | { kind: 'running'; instance?: string }
  | { kind: 'done'; fileName: string; rows: number; errors: string[] }
  | { kind: 'failed'; error: string };

interface Props {
  mode: KeyMode;
  status: ExportStatus;
  onMode: (mode: KeyMode) => void;
  onExportAll: () => void;
}

/** Masked is the default; full keys need a deliberate choice and carry a warning (SPEC §2). */
export function ExportBar({ mode, status, onMode, onExportAll }: Props) {
  return (
    <section class="export" aria-label="Export">
      <label class="key-mode">
        Keys in the CSV{' '}
        <select name="keys" value={mode} onChange={(e) => onMode(e.currentTarget.value as KeyMode)}>
          <option value="masked">masked (abcd…wxyz)</option>
          <option value="omit">left out</option>
          <option value="full">full secret values</option>
        </select>
      </label>
      <button type="button" class="primary" data-testid="export-all" disabled={status.kind === 'running'} onClick={onExportAll}>
        Export CSV
      </button>
      {mode === 'full' && (
        <p class="warning" role="note">
          The file will hold every key in plain text: store it like a password and delete it after use.
        </p>
      )}
      <ExportResult status={status} />
    </section>
  );
}

function ExportResult({ status }: { status: ExportStatus }) {
  switch (status.kind) {
    case 'idle':
      return null;
    case 'running':
      return <p class="status">Exporting {status.instance ?? 'all instances'}…</p>;
    case 'done':
      return (
        <div class="status" data-testid="export-result">
          <p class="ok">
            Saved {status.fileName} ({plural(status.rows, 'row')})
          </p>
          {status.errors.length > 0 && (
            <ul class="error" aria-label="Instances missing from the file">
              {status.errors.map((error) => (
                <li key={error}>{error}</li>
              ))}
            </ul>
          )}
        </div>
      );
    case 'failed':
      return (
        <p class="error" role="alert" data-testid="export-result">
          {status.error}
        </p>
      );
  }
}
