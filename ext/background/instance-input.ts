import { ConfigError, formatPath, instanceSchema, SECRET_FIELDS, type InstanceConfig, type ResolvedInstance } from '../../lib/config';
import type { InstanceView } from '../../lib/messages';
import { mayReuseSecrets, notReusedMessage } from '../stored-secrets';
import { t } from '../i18n';

/** What the options page may see of an instance: whether secrets are set, never the secrets. */
export function toView(inst: ResolvedInstance): InstanceView {
  return {
    name: inst.name,
    vendor: inst.vendor,
    ...(inst.url !== undefined ? { url: inst.url } : {}),
    ...(inst.apiKeyId !== undefined ? { apiKeyId: inst.apiKeyId } : {}),
    ...(inst.securityLevel !== undefined ? { securityLevel: inst.securityLevel } : {}),
    ...(inst.username !== undefined ? { username: inst.username } : {}),
    has: { apiKey: !!inst.apiKey, password: !!inst.password },
  };
}

/** The secrets that are set, alone: what is stored (sealed) apart from the instance. */
export function secretsOf(inst: Pick<ResolvedInstance, 'apiKey' | 'password'> | undefined): Partial<Pick<ResolvedInstance, 'apiKey' | 'password'>> {
  return {
    ...(inst?.apiKey ? { apiKey: inst.apiKey } : {}),
    ...(inst?.password ? { password: inst.password } : {}),
  };
}

/** An empty secret field on the form means "unchanged", like an omitted one. */
export function withoutEmptySecrets(instance: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...instance };
  for (const field of SECRET_FIELDS) if (copy[field] === '' || copy[field] === null) delete copy[field];
  return copy;
}

/**
 * The shared instance schema (lib/config), plus the extension's own rule: secrets are the values
 * themselves. Throws ConfigError listing every problem, paths prefixed with `path`.
 */
export function parseInstance(value: Record<string, unknown>, source: string, path = ''): ResolvedInstance {
  const problems = SECRET_FIELDS.filter((field) => value[field] !== undefined && typeof value[field] !== 'string').map((field) => ({
    path: pathIn(path, [field]),
    message: t('error_envSecretInExtension'),
  }));
  const parsed = instanceSchema.safeParse(value);
  if (!parsed.success) problems.push(...parsed.error.issues.map((issue) => ({ path: pathIn(path, issue.path), message: issue.message })));
  if (problems.length || !parsed.success) throw new ConfigError(source, problems);
  return withStringSecrets(parsed.data);
}

/**
 * A save or import of `given` over the stored instance it replaces: secrets it leaves out keep the
 * stored ones, so the options page never needs them back — but only while vendor and URL origin
 * are unchanged (ext/stored-secrets.ts). A secret missing for that reason is reported as such.
 */
export function parseOverStored(given: Record<string, unknown>, stored: ResolvedInstance | undefined, source: string, path = ''): ResolvedInstance {
  if (!stored || mayReuseSecrets(stored, given)) return parseInstance({ ...secretsOf(stored), ...given }, source, path);
  try {
    return parseInstance(given, source, path);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const withheld = new Map(SECRET_FIELDS.filter((field) => stored[field] && given[field] === undefined).map((field) => [pathIn(path, [field]), field]));
    throw new ConfigError(
      error.source,
      error.problems.map((problem) => {
        const field = withheld.get(problem.path);
        return field ? { path: problem.path, message: notReusedMessage(field) } : problem;
      }),
    );
  }
}

/** Stored and form secrets are always plain strings: `{env}` references exist only in CLI config files. */
export function withStringSecrets({ apiKey, password, ...inst }: InstanceConfig): ResolvedInstance {
  return {
    ...inst,
    ...(typeof apiKey === 'string' ? { apiKey } : {}),
    ...(typeof password === 'string' ? { password } : {}),
  };
}

function pathIn(prefix: string, sub: readonly PropertyKey[]): string {
  return formatPath([...(prefix ? [prefix] : []), ...sub]);
}
