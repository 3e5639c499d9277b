import { z } from 'zod';
import { ConfigError, instanceSchema, problemsOf, type ConfigProblem } from './config';
import { keyModeSchema } from './key-mode';

/**
 * Managed configuration (docs/contract.md#managed-policy): what an organisation's policy
 * (Chrome `storage.managed`, Firefox `3rdparty` policies) may set, and how it wins over what the
 * user chose locally. Pure: the extension reads the raw policy and the local values and asks here.
 */

/** Settings a user can choose and a policy can fix. */
export const settingsSchema = z
  .object({
    /** How often the background refreshes every instance. */
    refreshPeriodMinutes: z.number().int().min(15).max(7 * 24 * 60),
    /** Days before expiry at which a key is announced (expired keys always are). */
    notificationThresholds: z.array(z.number().int().min(1).max(365)).min(1).max(10),
    /** What an export writes in the key column unless the user picks otherwise for one export. */
    defaultKeyMode: keyModeSchema,
    /** No credential may be stored until a passphrase seals it, and the passphrase cannot be removed. */
    requirePassphrase: z.boolean(),
    /** The rotation policy: keys older than this many days are due for rotation; 0 = no policy (docs/owners.md). */
    maxKeyAgeDays: z.number().int().min(0).max(36_500),
  })
  .strict();
export type Settings = z.infer<typeof settingsSchema>;
export type SettingName = keyof Settings;

export const DEFAULT_SETTINGS: Settings = {
  refreshPeriodMinutes: 6 * 60,
  notificationThresholds: [30, 7, 1],
  defaultKeyMode: 'masked',
  requirePassphrase: false,
  maxKeyAgeDays: 0,
};

/** The rotation policy in force, or undefined when there is none. */
export const rotationPolicy = (settings: Pick<Settings, 'maxKeyAgeDays'>): number | undefined => settings.maxKeyAgeDays || undefined;

/** The fields that stay the user's own on a managed instance: the credential and the key id that goes with it. */
export const CREDENTIAL_FIELDS = ['apiKey', 'apiKeyId', 'username', 'password'] as const;

/**
 * A policy instance: never a secret (policies are readable by every local user and often sit in
 * plain files). A username may be preset; the admin adds the key or password.
 */
export const managedInstanceSchema = z
  .object(instanceSchema.shape)
  .omit({ apiKey: true, password: true, apiKeyId: true, caFile: true })
  .strict()
  .superRefine((inst, ctx) => {
    if (inst.vendor !== 'metadefender-cloud' && inst.url === undefined)
      ctx.addIssue({ code: 'custom', path: ['url'], message: `is required for ${inst.vendor}` });
  });
export type ManagedInstance = z.infer<typeof managedInstanceSchema>;

export const managedPolicySchema = settingsSchema.partial().extend({ instances: z.array(managedInstanceSchema).optional() }).strict();
export type ManagedPolicy = z.infer<typeof managedPolicySchema>;

export interface ParsedPolicy {
  policy: ManagedPolicy;
  /** What was left out and why, to show the user (and the admin who reads over their shoulder). */
  problems: ConfigProblem[];
}

/**
 * Field by field, instance by instance: one mistake in a fleet-wide policy must not drop the rest
 * of it, or a typo in a threshold would silently free every other setting. Browsers hand unknown
 * policy keys through, so those are reported, not fatal.
 */
export function parseManagedPolicy(raw: unknown): ParsedPolicy {
  const problems: ConfigProblem[] = [];
  const policy: Record<string, unknown> = {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { policy: {}, problems: raw == null ? [] : [{ path: '(top level)', message: 'must be an object' }] };
  const shape = managedPolicySchema.shape;
  const note = (path: readonly PropertyKey[], error: z.ZodError) => problems.push(...problemsOf(error, path));
  for (const [field, value] of Object.entries(raw)) {
    if (field === 'instances') continue;
    if (!(field in shape)) {
      problems.push({ path: field, message: 'is not a KeyAtlas policy' });
      continue;
    }
    const parsed = shape[field as SettingName].safeParse(value);
    if (parsed.success) policy[field] = parsed.data;
    else note([field], parsed.error);
  }
  const instances = (raw as { instances?: unknown }).instances;
  if (instances !== undefined) {
    if (!Array.isArray(instances)) problems.push({ path: 'instances', message: 'must be a list' });
    else {
      const kept: ManagedInstance[] = [];
      instances.forEach((entry: unknown, index) => {
        const parsed = managedInstanceSchema.safeParse(entry);
        if (!parsed.success) return note(['instances', index], parsed.error);
        if (kept.some((inst) => inst.name === parsed.data.name)) problems.push({ path: `instances[${index}].name`, message: `repeats ${parsed.data.name}` });
        else kept.push(parsed.data);
      });
      policy.instances = kept;
    }
  }
  return { policy: policy as ManagedPolicy, problems };
}

export interface EffectiveSettings {
  settings: Settings;
  /** The settings the policy fixes: the options page shows them read-only. */
  managed: SettingName[];
}

/** Defaults, then the user's valid choices, then the policy: the one place that decides a setting. */
export function mergeSettings(local: unknown, policy: ManagedPolicy): EffectiveSettings {
  const settings: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  const managed: SettingName[] = [];
  const mine = typeof local === 'object' && local !== null ? (local as Record<string, unknown>) : {};
  for (const name of Object.keys(DEFAULT_SETTINGS) as SettingName[]) {
    if (policy[name] !== undefined) {
      settings[name] = policy[name];
      managed.push(name);
      continue;
    }
    // A damaged or out-of-range local value falls back to the default rather than breaking refreshes.
    const parsed = settingsSchema.shape[name].safeParse(mine[name]);
    if (parsed.success) settings[name] = parsed.data;
  }
  return { settings: settings as Settings, managed };
}

/** What the options page lets a user choose; thresholds have their own section, a required passphrase is the organisation's call. */
export const localChoicesSchema = settingsSchema.pick({ refreshPeriodMinutes: true, defaultKeyMode: true, maxKeyAgeDays: true }).partial().strict();
export type LocalChoices = z.infer<typeof localChoicesSchema>;

/** The user's choices, checked against the same ranges as a policy's; a setting the policy fixes is refused, not stored. */
export function parseLocalChoices(choices: unknown, managed: readonly SettingName[]): LocalChoices {
  const parsed = localChoicesSchema.safeParse(choices);
  if (!parsed.success) throw new ConfigError('Settings', problemsOf(parsed.error));
  const fixed = Object.keys(parsed.data).filter((name) => managed.includes(name as SettingName));
  if (fixed.length) throw new ManagedSettingError(`${fixed.join(', ')}: set by your organisation's policy, so it cannot be changed here.`);
  return parsed.data;
}

type Credentials = Partial<Record<(typeof CREDENTIAL_FIELDS)[number], string>>;

/**
 * The policy's instances, each with the credential the user added to the same-named local entry,
 * then the user's own instances. Everything but the credential comes from the policy, so a local
 * edit or import of a managed instance cannot redirect its credential elsewhere.
 */
export function withManagedInstances<T extends { name: string } & Credentials>(local: readonly T[], managed: readonly ManagedInstance[]): (T | (ManagedInstance & Credentials))[] {
  const byName = new Map(local.map((inst) => [inst.name, inst]));
  const fromPolicy = managed.map((inst) => {
    const own = byName.get(inst.name);
    const credentials: Credentials = {};
    for (const field of CREDENTIAL_FIELDS) if (own?.[field] !== undefined) credentials[field] = own[field];
    return { ...credentials, ...inst };
  });
  const managedNames = new Set(managed.map((inst) => inst.name));
  return [...fromPolicy, ...local.filter((inst) => !managedNames.has(inst.name))];
}

export class ManagedSettingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManagedSettingError';
  }
}
