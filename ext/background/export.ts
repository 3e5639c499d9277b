import type { ResolvedInstance } from '../../lib/config';
import type { Coverage } from '../../lib/coverage';
import { csvFileName, toCsv } from '../../lib/csv';
import { buildEvidence, evidenceText } from '../../lib/evidence';
import type { KeyMode } from '../../lib/key-mode';
import type { InventoryOptions } from '../../lib/inventory';
import { settle, type Failure } from './failure';
import { withKeepAlive } from './keep-alive';
import { readAndCache } from './read';
import { t } from '../i18n';

export type ExportOutcome =
  | {
      ok: true;
      rows: number;
      fileName: string;
      errors?: string[];
      incomplete?: boolean;
      warnings?: string[];
      /** What each instance's credential could see, by instance name. */
      coverage: Record<string, Coverage>;
      /** The evidence manifest saved beside the CSV, when one was asked for. */
      evidenceFileName?: string;
    }
  | Failure;

export interface ExportDeps {
  /** `holdsKeyValues`: a full-key export, erased from the download history once saved. */
  download: (csv: string, fileName: string, options: { holdsKeyValues: boolean }) => Promise<void>;
  /** Saves the evidence manifest (JSON; it never holds a key value). */
  downloadEvidence: (json: string, fileName: string) => Promise<void>;
  /** The extension's version, named in the evidence as the tool's. */
  version: () => string;
  /** After the read: its results refresh the cache, so the badge follows. */
  afterRun: () => Promise<void>;
  inventory?: InventoryOptions;
}

/**
 * One export path for the popup and the console button: a fresh read of the instances, the docs/contract.md#csv-format
 * CSV, one download named `keyatlas-<scope>-<UTC date>.csv`. Instances that fail are named in
 * `errors`; the file still holds every row that was read, as in the CLI. With `evidence`, the
 * manifest of that same read follows as `keyatlas-<scope>-<UTC date>.evidence.json`, vouching for
 * the exact CSV saved (its SHA-256 and rows), as `keyatlas export --out … --evidence …` does.
 */
export async function exportInstances(
  instances: readonly ResolvedInstance[],
  {
    scope,
    keys,
    onProgress,
    cache = true,
    evidence = false,
  }: {
    scope: string;
    keys: KeyMode;
    evidence?: boolean;
    onProgress?: (read: number, total?: number) => void;
    /** false for a console session's instance that is not configured: the popup has no row for it. */
    cache?: boolean;
  },
  deps: ExportDeps,
): Promise<ExportOutcome> {
  if (!instances.length) return { ok: false, error: t('error_noInstances') };
  return withKeepAlive(() =>
    settle(async (): Promise<ExportOutcome> => {
      const now = deps.inventory?.now ?? new Date();
      const { records, results } = await readAndCache(instances, { inventory: { ...deps.inventory, now }, onProgress, cache });
      await deps.afterRun();
      const errors = results.flatMap((r) => (r.error ? [r.error.message] : []));
      // Nothing read and something failed: an empty file would look like "no keys".
      if (!records.length && errors.length) return { ok: false, error: errors.join('\n') };
      const fileName = csvFileName(scope, now);
      const csv = toCsv(records, { keys });
      await deps.download(csv, fileName, { holdsKeyValues: keys === 'full' });
      let evidenceFileName: string | undefined;
      if (evidence) {
        evidenceFileName = fileName.replace(/\.csv$/, '.evidence.json');
        const manifest = await buildEvidence({ version: deps.version(), now, instances, results, file: { text: csv, rows: records.length, format: 'csv', name: fileName } });
        await deps.downloadEvidence(evidenceText(manifest), evidenceFileName);
      }
      const warnings = results.flatMap((r) => r.warnings);
      return {
        ok: true,
        rows: records.length,
        fileName,
        ...(errors.length ? { errors, incomplete: results.some((r) => r.error?.kind === 'incomplete') } : {}),
        ...(warnings.length ? { warnings } : {}),
        coverage: Object.fromEntries(results.map((r) => [r.instance, r.coverage])),
        ...(evidenceFileName ? { evidenceFileName } : {}),
      };
    }),
  );
}
