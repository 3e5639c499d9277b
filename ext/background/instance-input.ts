import { ConfigError, formatPath, instanceSchema, type InstanceConfig, type ResolvedInstance } from '../../lib/config';
import type { InstanceView } from '../../lib/messages';

export const SECRET_FIELDS = ['apiKey', 'password'] as const;

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

/** The stored secrets of an instance, to stand in for secrets a save or import leaves out. */
export function storedSecrets(inst: ResolvedInstance | undefined): Partial<Pick<ResolvedInstance, 'apiKey' | 'password'>> {
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
  const at = (sub: PropertyKey[]) => formatPath([...(path ? [path] : []), ...sub]);
  const problems = SECRET_FIELDS.filter((field) => value[field] !== undefined && typeof value[field] !== 'string').map((field) => ({
    path: at([field]),
    message: 'must be the secret itself: environment variables are read only by the command line',
  }));
  const parsed = instanceSchema.safeParse(value);
  if (!parsed.success) problems.push(...parsed.error.issues.map((issue) => ({ path: at(issue.path), message: issue.message })));
  if (problems.length || !parsed.success) throw new ConfigError(source, problems);
  return withStringSecrets(parsed.data);
}

function withStringSecrets({ apiKey, password, ...inst }: InstanceConfig): ResolvedInstance {
  return {
    ...inst,
    ...(typeof apiKey === 'string' ? { apiKey } : {}),
    ...(typeof password === 'string' ? { password } : {}),
  };
}
