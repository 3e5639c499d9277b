import type { ExtensionProtocol } from '../../lib/messages';
import { t, tCount } from '../../ext/i18n';
import { Alert } from '../../ext/ui/alert';
import { PassphraseField } from '../../ext/ui/passphrase-field';

export type KeyMode = Parameters<ExtensionProtocol['export']>[0]['keys'];

export type ExportStatus =
  | { kind: 'idle' }
  | { kind: 'running'; instance?: string }
  | { kind: 'done'; fileName: string; rows: number; errors: string[]; evidenceFileName?: string }
  | { kind: 'failed'; error: string };

interface Props {
  mode: KeyMode;
  status: ExportStatus;
  onMode: (mode: KeyMode) => void;
  onExportAll: () => void;
  /** The same export, with its evidence manifest saved beside it (docs/completeness.md). */
  onExportEvidence: () => void;
  /** With a passphrase set, full keys are written only for someone who types it (the background checks it). */
  hasPassphrase: boolean;
  passphrase: string;
  onPassphrase: (passphrase: string) => void;
}

/** Masked is the default; full keys need a deliberate choice, carry a warning and the passphrase when one is set (docs/contract.md, Key modes; Trust boundaries). */
export function ExportBar({ mode, status, onMode, onExportAll, onExportEvidence, hasPassphrase, passphrase, onPassphrase }: Props) {
  return (
    <section class="export" aria-label={t('popup_export_label')}>
      <label class="key-mode" for="key-mode">
        {t('popup_keyMode_label')}
      </label>
      <div class="export-row">
        <select id="key-mode" name="keys" value={mode} onChange={(e) => onMode(e.currentTarget.value as KeyMode)}>
          <option value="masked">{t('popup_keyMode_masked')}</option>
          <option value="omit">{t('popup_keyMode_omit')}</option>
          <option value="full">{t('popup_keyMode_full')}</option>
        </select>
        <span class="export-buttons">
          <button type="button" class="primary" data-testid="export-all" disabled={status.kind === 'running'} onClick={onExportAll}>
            {t('popup_exportAll')}
          </button>
          <button type="button" data-testid="export-evidence" disabled={status.kind === 'running'} title={t('popup_exportEvidenceTitle')} onClick={onExportEvidence}>
            {t('popup_exportEvidence')}
          </button>
        </span>
      </div>
      {mode === 'full' && (
        <p class="warning" role="note">
          {t('popup_keyMode_fullWarning')}
          {!hasPassphrase && <> {t('popup_keyMode_fullNoPassphrase')}</>}
        </p>
      )}
      {mode === 'full' && hasPassphrase && (
        <PassphraseField
          class="export-confirm"
          id="export-passphrase"
          label={t('popup_keyMode_passphrase')}
          autocomplete="current-password"
          value={passphrase}
          onInput={onPassphrase}
        />
      )}
      {/* Always in the page, so the start and the outcome of an export are announced. */}
      <div class="status" role="status">
        {status.kind !== 'failed' && <ExportProgress status={status} />}
      </div>
      {status.kind === 'failed' && <Alert headline={t('popup_exportFailed')} text={status.error} testId="export-result" />}
    </section>
  );
}

/** "Saved keyatlas-all-2026-03-01.csv (50 rows)": also the live-session export's result line. */
export const savedText = (fileName: string, rows: number) => tCount('popup_saved', rows, fileName);

function ExportProgress({ status }: { status: Exclude<ExportStatus, { kind: 'failed' }> }) {
  switch (status.kind) {
    case 'idle':
      return null;
    case 'running':
      return <p>{status.instance === undefined ? t('popup_exportingAll') : t('popup_exporting', status.instance)}</p>;
    case 'done':
      return (
        <div data-testid="export-result">
          <p class="ok">{savedText(status.fileName, status.rows)}</p>
          {status.evidenceFileName && <p class="ok">{t('popup_savedEvidence', status.evidenceFileName)}</p>}
          {status.errors.length > 0 && (
            <ul class="error" aria-label={t('popup_exportMissing')}>
              {status.errors.map((error) => (
                <li key={error}>{error}</li>
              ))}
            </ul>
          )}
        </div>
      );
  }
}
