import { z } from 'zod';
import { jsonSyntaxReason } from './apis/errors';
import { countOf } from './plural';
import { VENDOR_IDS, type VendorId } from './vendors';

/** A secret is written inline, or (CLI only) named by an environment variable so it need not sit in the file. */
const secretSchema = z.union([
  z.string().min(1, 'must not be empty'),
  z.object({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name') }).strict(),
]);
export type SecretRef = z.infer<typeof secretSchema>;

const urlSchema = z.string().superRefine((value, ctx) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // The value is not echoed: a malformed URL may still carry a password.
    ctx.addIssue({ code: 'custom', message: 'is not a valid URL (expected e.g. https://core.example:8008)' });
    return;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    ctx.addIssue({ code: 'custom', message: `must use http or https, not ${url.protocol.replace(':', '')}` });
  // A password in a URL would end up in logs and error texts; credentials have their own fields.
  if (url.username || url.password)
    ctx.addIssue({ code: 'custom', message: 'must not contain a user name or password; use apiKey / username / password' });
  if (url.search || url.hash) ctx.addIssue({ code: 'custom', message: 'must not contain a query or fragment' });
  // `https://api-t.example//evil.example`: the API calls still reach the host, but anything that
  // resolves the path against the host (a link, a redirect) lands on evil.example. The parsed path
  // is checked, so `\\` (read as `/` in http URLs) is caught too.
  if (url.pathname.startsWith('//')) ctx.addIssue({ code: 'custom', message: 'must not have a path starting with // (it reads as another host)' });
});

export const instanceSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(64, 'must be at most 64 characters'),
    vendor: z.enum(VENDOR_IDS, { error: () => `must be one of ${VENDOR_IDS.join(', ')}` }),
    url: urlSchema.optional(),
    apiKey: secretSchema.optional(),
    apiKeyId: z.union([z.string().regex(/^\d+$/, 'must be the numeric key id'), z.number().int().nonnegative()]).transform(String).optional(),
    securityLevel: z.enum(['standard', 'advanced']).optional(),
    username: z.string().min(1, 'must not be empty').optional(),
    password: secretSchema.optional(),
    caFile: z.string().min(1, 'must not be empty').optional(),
  })
  .strict()
  .superRefine((inst, ctx) => {
    const need = (field: keyof typeof inst, why: string) => {
      if (inst[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: `is required ${why}` });
    };
    if (inst.vendor !== 'metadefender-cloud') need('url', `for ${inst.vendor}`);
    switch (inst.vendor) {
      case 'metadefender-core':
        if (inst.apiKey === undefined && (inst.username === undefined || inst.password === undefined))
          ctx.addIssue({ code: 'custom', path: ['apiKey'], message: 'is required for metadefender-core (or username and password to log in)' });
        break;
      case 'metadefender-storage':
        // Only-an-API-key is accepted here on purpose: docs/contract.md#metadefender-storage-security makes it an instance failure with an explanation.
        if (inst.apiKey === undefined) {
          need('username', 'for metadefender-storage (its API keys cannot list keys; a login session is needed)');
          need('password', 'for metadefender-storage (its API keys cannot list keys; a login session is needed)');
        }
        break;
      case 'cortex-xsoar':
      case 'cortex-xsiam':
      case 'cortex-xdr':
        need('apiKey', `for ${inst.vendor}`);
        need('apiKeyId', `for ${inst.vendor} (the key id shown beside the key, sent as x-xdr-auth-id)`);
        break;
      case 'metadefender-vault':
      case 'metadefender-cloud':
        need('apiKey', `for ${inst.vendor}`);
        break;
    }
  });

export const configSchema = z
  .object({
    // Lets editors validate the file against keyatlas.schema.json; KeyAtlas itself ignores it.
    $schema: z.string().optional(),
    instances: z.array(instanceSchema),
    /** The rotation policy: keys older than this many days are due for rotation (docs/owners.md). */
    maxKeyAgeDays: z.number().int().min(1, 'must be at least 1 day').max(36_500).optional(),
  })
  .strict();

export type InstanceConfig = z.infer<typeof instanceSchema>;
export type Config = z.infer<typeof configSchema>;
export const SECRET_FIELDS = ['apiKey', 'password'] as const;

/** An instance whose secrets are plain strings: what the adapters receive. */
export type ResolvedInstance = Omit<InstanceConfig, 'apiKey' | 'password'> & {
  apiKey?: string;
  password?: string;
  /** A live console session credential (docs/contract.md#console-sessions); the extension sets it only where no saved credential can list keys. */
  sessionToken?: string;
};

export interface ConfigProblem {
  path: string;
  message: string;
  /** The name of the instance the problem belongs to, when it has a usable one: people know their instances by name, not index. */
  instance?: string;
}

export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: ConfigProblem[],
  ) {
    super(`${source}: ${countOf(problems.length, 'problem')}:\n${problems.map((p) => `  ${where(p)}: ${p.message}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

// JSON quoting: a name is shown with any control character escaped, never raw.
const where = (p: ConfigProblem) => (p.instance === undefined ? p.path || '(top level)' : `instance ${JSON.stringify(p.instance)} (${p.path})`);

export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)), '');
}

/** A zod error as problems, each path under `at` (where the checked value sits in a larger one). */
export function problemsOf(error: z.ZodError, at: readonly PropertyKey[] = []): ConfigProblem[] {
  return error.issues.map((issue) => ({ path: formatPath([...at, ...issue.path]), message: issue.message }));
}

/** Validates a config value; throws ConfigError listing every problem (path + message). */
export function parseConfig(value: unknown, source = 'config'): Config {
  const result = configSchema.safeParse(value);
  const problems = [
    ...(result.success ? [] : problemsOf(result.error)),
    ...duplicateNames(value),
  ].map((problem) => withInstanceName(problem, value));
  if (problems.length || !result.success) throw new ConfigError(source, problems);
  return result.data;
}

/** Names the instance a problem sits in, read from the raw value, so a name is shown even when other fields are wrong. */
function withInstanceName(problem: ConfigProblem, value: unknown): ConfigProblem {
  const index = /^instances\[(\d+)\]/.exec(problem.path)?.[1];
  if (index === undefined) return problem;
  const name = instanceSchema.shape.name.safeParse((value as { instances: { name?: unknown }[] }).instances[Number(index)]?.name);
  return name.success ? { ...problem, instance: name.data } : problem;
}

// Checked on the raw value, not in the schema, so duplicates are listed even when other fields are wrong.
function duplicateNames(value: unknown): ConfigProblem[] {
  const instances = (value as { instances?: unknown } | null)?.instances;
  if (!Array.isArray(instances)) return [];
  const seen = new Map<string, number>();
  const problems: ConfigProblem[] = [];
  instances.forEach((inst: unknown, i) => {
    const name = (inst as { name?: unknown } | null)?.name;
    if (typeof name !== 'string') return;
    const first = seen.get(name.trim());
    if (first === undefined) seen.set(name.trim(), i);
    else problems.push({ path: `instances[${i}].name`, message: `is already used by instances[${first}]` });
  });
  return problems;
}

/** Parses JSON text then validates it; a syntax error is reported by line and column, as an editor shows them. */
export function parseConfigText(text: string, source = 'config'): Config {
  const json = text.replace(/^\uFEFF/, '');
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    // Not V8's "at position N" (useless in an editor) and not its token: a config may hold secrets.
    const reason = jsonSyntaxReason(error)
      .replace(/(?: in JSON)? at position \d+.*$/s, '')
      .replace(/^Unexpected token .*$/s, 'Unexpected character');
    throw new ConfigError(source, [{ path: '', message: `is not valid JSON at ${lineAndColumn(json, jsonErrorOffset(json))}: ${reason}` }]);
  }
  return parseConfig(value, source);
}

/**
 * Where JSON.parse gives up: the longest prefix that could still begin a valid document (it parses,
 * or fails only at its very end). V8 does not give a position for every error, so it is searched
 * for; a config file is small.
 */
function jsonErrorOffset(json: string): number {
  const viable = (length: number) => {
    try {
      JSON.parse(json.slice(0, length));
      return true;
    } catch (error) {
      const at = /at position (\d+)/.exec((error as Error).message)?.[1];
      return /Unexpected end of JSON input/.test((error as Error).message) || (at !== undefined && Number(at) >= length);
    }
  };
  let good = 0;
  let bad = json.length;
  if (viable(bad)) return bad;
  while (bad - good > 1) {
    const mid = (good + bad) >> 1;
    if (viable(mid)) good = mid;
    else bad = mid;
  }
  return good;
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${before.at(-1)!.length + 1}`;
}

/** Replaces `{env: NAME}` secrets with the variable's value; every missing variable is one problem. */
export function resolveSecrets(config: Config, env: Record<string, string | undefined>, source = 'config'): ResolvedInstance[] {
  const problems: ConfigProblem[] = [];
  const resolve = (secret: SecretRef | undefined, path: string, instance: string): string | undefined => {
    if (secret === undefined || typeof secret === 'string') return secret;
    const value = env[secret.env];
    if (!value) problems.push({ path, instance, message: `environment variable ${secret.env} is not set or empty` });
    return value;
  };
  const instances = config.instances.map((inst, i) => ({
    ...inst,
    apiKey: resolve(inst.apiKey, `instances[${i}].apiKey`, inst.name),
    password: resolve(inst.password, `instances[${i}].password`, inst.name),
  }));
  if (problems.length) throw new ConfigError(source, problems);
  return instances;
}

export function defaultUrl(vendor: VendorId): string | undefined {
  return vendor === 'metadefender-cloud' ? 'https://api.metadefender.com' : undefined;
}

/** The instance's base URL without a trailing slash. */
export function baseUrl(inst: Pick<ResolvedInstance, 'url' | 'vendor'>): string {
  const url = inst.url ?? defaultUrl(inst.vendor);
  if (!url) throw new Error(`instance has no url`);
  return url.replace(/\/+$/, '');
}
