import { useEffect, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { ConfigProblem } from '../../lib/config';
import { sendMessage } from '../../ext/messaging';
import { errorText } from '../../ext/ui/format';
import { utcDate } from '../../lib/utc-date';
import { configOriginPatterns } from '../../ext/ui/origins';
import { missingPatterns } from '../../ext/ui/permissions';
import { Alert } from '../../ext/ui/alert';
import { withVendorNames } from '../../ext/ui/instance-form';
import { t, tCount } from '../../ext/i18n';
import { PassphraseField } from '../../ext/ui/passphrase-field';

type ImportStatus =
  | { kind: 'running'; file: string }
  | { kind: 'done'; file: string; imported: number; warnings: ConfigProblem[] }
  | { kind: 'failed'; file: string; error: string; problems: ConfigProblem[] };

/**
 * docs/contract.md#test-ids: choosing a file imports it at once (the background merges by name and starts a refresh).
 * A file choice is not a user gesture in every browser, so a refused or impossible permission
 * prompt does not stop the import: the origins still missing get a "Grant access" button.
 */
export function ConfigImport({ onImported }: { onImported: () => void }) {
  const [status, setStatus] = useState<ImportStatus>();
  const [ungranted, setUngranted] = useState<string[]>([]);
  const [grantError, setGrantError] = useState<string>();

  async function importFile(input: HTMLInputElement) {
    const file = input.files?.[0];
    if (!file) return;
    setStatus({ kind: 'running', file: file.name });
    setUngranted([]);
    setGrantError(undefined);
    try {
      const json = await file.text();
      // Cleared so that choosing the same file again imports it again.
      input.value = '';
      setUngranted(await requestIfPossible(configOriginPatterns(json)));
      const reply = await sendMessage('config:import', { json });
      if (reply.ok) {
        setStatus({ kind: 'done', file: file.name, imported: reply.imported, warnings: reply.warnings ?? [] });
        onImported();
      } else setStatus({ kind: 'failed', file: file.name, error: reply.error, problems: reply.problems ?? [] });
    } catch (err) {
      setStatus({ kind: 'failed', file: file.name, error: errorText(err), problems: [] });
    }
  }

  function grant() {
    const origins = ungranted;
    setGrantError(undefined);
    // Called straight from the click: the prompt needs the user gesture.
    browser.permissions
      .request({ origins })
      .then(async () => {
        const still = await missingPatterns(origins);
        setUngranted(still);
        // The import's refresh ran without these origins; read the instances again now.
        if (still.length === 0) await sendMessage('refresh', {});
      })
      .catch((err: unknown) => setGrantError(errorText(err)));
  }

  const failed = status?.kind === 'failed';
  return (
    <div class="config-import form">
      <div class="field">
        <span class="label" id="import-label">
          {t('options_import_label')}
        </span>
        {/* The native input stays (tests and assistive technology use it) but is hidden behind a button in the UI language. */}
        <div class="file-picker">
          <input
            type="file"
            id="import-file"
            class="visually-hidden"
            accept=".json,application/json"
            data-testid="import-config"
            aria-labelledby="import-label"
            aria-describedby={failed ? 'import-help import-error' : 'import-help'}
            aria-invalid={failed || undefined}
            onChange={(e) => void importFile(e.currentTarget)}
          />
          <label for="import-file" class="button" aria-hidden="true">
            {t('options_import_choose')}
          </label>
          <span class="file-name ellipsis muted" title={status?.file}>
            {status?.file ?? t('options_import_noFile')}
          </span>
        </div>
        <p class="help" id="import-help">
          {t('options_import_help')}
        </p>
      </div>
      {/* One live region for progress and outcome, present before either, so both are announced. */}
      <div role="status">
        {status?.kind === 'running' && <p class="status">{t('options_importing', status.file)}</p>}
        {status?.kind === 'done' && (
          <div data-testid="import-result">
            <p class="ok">{tCount('options_imported', status.imported, status.file)}</p>
            <Problems problems={status.warnings} class="warning" />
          </div>
        )}
      </div>
      {failed && (
        <div class="error" role="alert" id="import-error" data-testid="import-result">
          <p>{t('options_importFailed', status.file, status.error)}</p>
          <Problems problems={status.problems} />
        </div>
      )}
      {ungranted.length > 0 && (
        <div class="warning" data-testid="ungranted">
          <p>{t('options_ungranted')}</p>
          <ul>
            {ungranted.map((origin) => (
              <li key={origin}>{origin}</li>
            ))}
          </ul>
          <button type="button" onClick={grant}>
            {t('options_grant')}
          </button>
          {grantError && <p class="error">{grantError}</p>}
        </div>
      )}
    </div>
  );
}

/** A config's problems the way the command line lists them: `path: message`. */
export function Problems({ problems, class: className }: { problems: ConfigProblem[]; class?: string }) {
  if (problems.length === 0) return null;
  return (
    <ul class={className}>
      {problems.map((p) => (
        <li key={`${p.path}:${p.message}`}>
          {t('options_problem', p.path || t('options_topLevel'), withVendorNames(p.message))}
        </li>
      ))}
    </ul>
  );
}

/** Returns the patterns still not granted after asking, which may be impossible outside a gesture. */
async function requestIfPossible(patterns: string[]): Promise<string[]> {
  const missing = await missingPatterns(patterns);
  if (missing.length === 0) return [];
  try {
    if (await browser.permissions.request({ origins: missing })) return [];
  } catch {
    // Not a user gesture here (Firefox): the "Grant access" button asks again from a click.
  }
  return missingPatterns(missing);
}

/** With a passphrase set, secrets leave only for someone who knows it, not for any unlocked browser (docs/contract.md#secrets-at-rest). */
export function ConfigExport({ hasPassphrase = false }: { hasPassphrase?: boolean }) {
  const [includeSecrets, setIncludeSecrets] = useState(false);
  const [passphrase, setPassphrase] = useState('');
  const [download, setDownload] = useState<{ url: string; fileName: string }>();
  const [error, setError] = useState<string>();
  const link = useRef<HTMLAnchorElement>(null);

  useEffect(() => {
    if (!download) return;
    link.current?.click();
    return () => URL.revokeObjectURL(download.url);
  }, [download]);

  async function exportConfig() {
    setError(undefined);
    try {
      const reply = await sendMessage('config:export', { includeSecrets, ...(includeSecrets && hasPassphrase ? { passphrase } : {}) });
      setPassphrase('');
      if (!reply.ok) return setError(reply.error);
      const url = URL.createObjectURL(new Blob([reply.json], { type: 'application/json' }));
      setDownload({ url, fileName: `keyatlas-config-${utcDate(new Date())}.json` });
    } catch (err) {
      setError(errorText(err));
    }
  }

  return (
    <div class="config-export form" role="group" aria-labelledby="export-label">
      <span class="label" id="export-label">
        {t('options_export_label')}
      </span>
      <label class="check">
        <input type="checkbox" name="includeSecrets" checked={includeSecrets} onChange={(e) => setIncludeSecrets(e.currentTarget.checked)} />
        <span>{t('options_includeSecrets')}</span>
      </label>
      {includeSecrets && <p class="warning">{t('options_exportSecretsWarning')}</p>}
      {includeSecrets && hasPassphrase && (
        <PassphraseField
          id="export-passphrase"
          label={t('options_currentPassphrase')}
          autocomplete="current-password"
          value={passphrase}
          onInput={setPassphrase}
        />
      )}
      <div class="form-actions">
        <button type="button" onClick={() => void exportConfig()}>
          {t('options_exportConfig')}
        </button>
      </div>
      {download && (
        <p class="ok">
          <a ref={link} href={download.url} download={download.fileName} data-testid="config-download">
            {download.fileName}
          </a>
        </p>
      )}
      <Alert text={error} />
    </div>
  );
}
