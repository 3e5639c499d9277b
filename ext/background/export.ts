import type { ResolvedInstance } from '../../lib/config';
import { csvFileName, toCsv } from '../../lib/csv';
import type { KeyMode } from '../../lib/key-mode';
import type { InventoryOptions } from '../../lib/inventory';
import { settle, type Failure } from './failure';
import { withKeepAlive } from './keep-alive';
import { readAndCache } from './read';
import { t } from '../i18n';

export type ExportOutcome = { ok: true; rows: number; fileName: string; errors?: string[]; incomplete?: boolean; warnings?: string[] } | Failure;

export interface ExportDeps {
  /** `holdsKeyValues`: a full-key export, erased from the download history once saved. */
  download: (csv: string, fileName: string, options: { holdsKeyValues: boolean }) => Promise<void>;
  /** After the read: its results refresh the cache, so the badge follows. */
  afterRun: () => Promise<void>;
  inventory?: InventoryOptions;
}

/**
 * One export path for the popup and the console button: a fresh read of the instances, the SPEC §2
 * CSV, one download named `keyatlas-<scope>-<UTC date>.csv`. Instances that fail are named in
 * `errors`; the file still holds every row that was read, as in the CLI.
 */
export async function exportInstances(
  instances: readonly ResolvedInstance[],
  {
    scope,
    keys,
    onProgress,
    cache = true,
  }: {
    scope: string;
    keys: KeyMode;
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
      await deps.download(toCsv(records, { keys }), fileName, { holdsKeyValues: keys === 'full' });
      const warnings = results.flatMap((r) => r.warnings);
      return {
        ok: true,
        rows: records.length,
        fileName,
        ...(errors.length ? { errors, incomplete: results.some((r) => r.error?.kind === 'incomplete') } : {}),
        ...(warnings.length ? { warnings } : {}),
      };
    }),
  );
}
