import { ConfigError, parseConfigText, SECRET_FIELDS, type ConfigProblem } from '../../lib/config';
import type { InstanceStore } from './instance-store';
import { parseOverStored } from './instance-input';
import { t } from '../i18n';

/**
 * Merges a configuration file (docs/contract.md#configuration) into the stored instances by name (a same-named one is replaced).
 * `{env}` secrets exist for the CLI only: they are dropped with a warning and a stored secret of
 * the same instance stays, unless the file changes its vendor or URL origin (the stored secret is
 * never sent elsewhere); an instance left without a required secret is skipped with a warning.
 * Throws ConfigError for a file that is not a valid config; then nothing is saved.
 */
export async function importConfig(store: InstanceStore, json: string): Promise<{ imported: number; warnings: ConfigProblem[]; maxKeyAgeDays?: number }> {
  // lib/config keeps V8's quote of the text around a syntax error (maybe a key) out of its message.
  const config = parseConfigText(json, 'Imported file');
  const warnings: ConfigProblem[] = [];
  let imported = 0;
  await store.update((current) => {
    const next = [...current];
    config.instances.forEach((inst, i) => {
      const path = `instances[${i}]`;
      const candidate: Record<string, unknown> = { ...inst };
      for (const field of SECRET_FIELDS) {
        const secret = inst[field];
        if (secret === undefined || typeof secret === 'string') continue;
        warnings.push({ path: `${path}.${field}`, message: t('error_import_envSecret', secret.env, field) });
        delete candidate[field];
      }
      let saved;
      try {
        saved = parseOverStored(candidate, current.find((c) => c.name === inst.name), 'Imported file', path);
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        warnings.push(...error.problems.map((p) => ({ ...p, message: t('error_import_notImported', p.message) })));
        return;
      }
      const at = next.findIndex((c) => c.name === saved.name);
      if (at >= 0) next[at] = saved;
      else next.push(saved);
      imported++;
    });
    return next;
  });
  // The file's rotation policy is a setting, not an instance: the caller applies it.
  return { imported, warnings, ...(config.maxKeyAgeDays === undefined ? {} : { maxKeyAgeDays: config.maxKeyAgeDays }) };
}

/** configuration JSON (docs/contract.md#configuration) of the stored instances, and the rotation policy in force; secrets only when asked for (and then the lock must be open). */
export async function exportConfig(store: InstanceStore, includeSecrets: boolean, maxKeyAgeDays?: number): Promise<string> {
  const instances = includeSecrets ? await store.loadResolved() : await store.listPublic();
  return `${JSON.stringify({ ...(maxKeyAgeDays ? { maxKeyAgeDays } : {}), instances }, null, 2)}\n`;
}
