import { storage } from 'wxt/utils/storage';
import { z } from 'zod';
import { formatPath, instanceSchema } from '../lib/config';
import { sealedBoxSchema, storedLockKeySchema, type StoredLockKey } from '../lib/lock';
import { credentialUsedSchema, keyMetaSchema } from '../lib/messages';
import { SESSION_VENDORS } from '../lib/session-capture';

/**
 * Every storage item of the extension (SPEC §5). Background only: pages ask the background, so
 * secrets never reach a page. Never storage.sync: credentials must not leave this machine.
 */

/** An instance without its secrets: what can be read and shown while the lock is closed. */
export const publicInstanceSchema = z.object(instanceSchema.shape).omit({ apiKey: true, password: true }).strict();
export type PublicInstance = z.infer<typeof publicInstanceSchema>;

export const instanceSecretsSchema = z
  .object({ apiKey: z.string().min(1).optional(), password: z.string().min(1).optional() })
  .strict();

/** Secrets by instance name. */
export const secretsByNameSchema = z.record(z.string(), instanceSecretsSchema);
export type SecretsByName = z.infer<typeof secretsByNameSchema>;

/** What a sealed secret is for (ext/stored-secrets.ts `bindingOf`): sealed with it, so storage cannot re-point it. */
export const secretBindingSchema = z
  .object({ name: z.string(), vendor: z.string(), origin: z.string(), username: z.string().optional(), keyId: z.string().optional() })
  .strict();
export type SecretBinding = z.infer<typeof secretBindingSchema>;

/** The plain text inside a v2 sealed box: secrets by instance name, each with its binding. */
export const boundSecretsByNameSchema = z.record(z.string(), instanceSecretsSchema.extend({ for: secretBindingSchema }).strict());
export type BoundSecretsByName = z.infer<typeof boundSecretsByNameSchema>;

/**
 * Instances and their secrets in ONE value, so one `storage.local.set` (atomic) writes both and
 * an interrupted write leaves the previous list whole.
 */
export const storedInstancesSchema = z
  .object({
    instances: z.array(publicInstanceSchema),
    secrets: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('plain'), byName: secretsByNameSchema }).strict(),
      z.object({ kind: z.literal('sealed'), box: sealedBoxSchema }).strict(),
    ]),
  })
  .strict();
export type StoredInstances = z.infer<typeof storedInstancesSchema>;

export const INSTANCES_VERSION = 2;

export const instancesItem = storage.defineItem<StoredInstances>('local:instances', {
  version: INSTANCES_VERSION,
  fallback: { instances: [], secrets: { kind: 'plain', byName: {} } },
  migrations: {
    2: migrateInstancesV1toV2,
  },
});

/**
 * v1 kept `InstanceConfig[]` with the secrets inline. v2 splits them off so they can be sealed.
 * Frozen: it knows the v1 shape itself rather than importing today's types. A value that is
 * already v2 (its version mark was lost) passes through untouched.
 */
export function migrateInstancesV1toV2(v1: unknown): unknown {
  if (!Array.isArray(v1)) return v1;
  const byName: Record<string, { apiKey?: string; password?: string }> = {};
  const instances = v1.map((entry: unknown) => {
    if (typeof entry !== 'object' || entry === null) return entry;
    const { apiKey, password, ...rest } = entry as Record<string, unknown>;
    const secrets = {
      ...(typeof apiKey === 'string' && apiKey ? { apiKey } : {}),
      ...(typeof password === 'string' && password ? { password } : {}),
    };
    if (typeof rest.name === 'string' && Object.keys(secrets).length) byName[rest.name] = secrets;
    return rest;
  });
  return { instances, secrets: { kind: 'plain', byName } };
}

export class StoredDataError extends Error {
  constructor(what: string, error: z.ZodError) {
    // Paths and messages only: zod messages never quote the values, which may be secrets.
    super(`${what} are damaged: ${error.issues.map((i) => `${formatPath(i.path) || '(top level)'}: ${i.message}`).join('; ')}`);
    this.name = 'StoredDataError';
  }
}

export async function readStoredInstances(): Promise<StoredInstances> {
  const parsed = storedInstancesSchema.safeParse(await instancesItem.getValue());
  // Never fall back to an empty list here: the next save would overwrite the user's instances.
  if (!parsed.success) throw new StoredDataError('Stored instances', parsed.error);
  return parsed.data;
}

/** Validates the whole value before the single write, so a bad value never replaces a good one. */
export async function writeStoredInstances(value: StoredInstances): Promise<void> {
  const parsed = storedInstancesSchema.safeParse(value);
  if (!parsed.success) throw new StoredDataError('Instances to save', parsed.error);
  await instancesItem.setValue(parsed.data);
}

/** Per-instance outcome of the last refresh; counts are derived from `keys` when read. */
export const cachedStatusSchema = z.object({
  lastRefresh: z.string(),
  ok: z.boolean(),
  error: z.string().optional(),
  credential: credentialUsedSchema.optional(),
});

/** What the popup shows: key metadata, never key values. */
export const cacheSchema = z.object({
  statuses: z.record(z.string(), cachedStatusSchema),
  keys: z.array(keyMetaSchema),
});
export type Cache = z.infer<typeof cacheSchema>;

const EMPTY_CACHE: Cache = { statuses: {}, keys: [] };

export const cacheItem = storage.defineItem<Cache>('local:cache', { version: 1, fallback: EMPTY_CACHE });

export async function readCache(): Promise<Cache> {
  // The cache is rebuilt by the next refresh, so a damaged one is simply dropped.
  return cacheSchema.safeParse(await cacheItem.getValue()).data ?? EMPTY_CACHE;
}

export async function writeCache(value: Cache): Promise<void> {
  await cacheItem.setValue(cacheSchema.parse(value));
}

/** The unlocked AES key: storage.session only, gone when the browser closes or the user locks. */
export const unlockedKeyItem = storage.defineItem<StoredLockKey | null>('session:unlockedKey', { fallback: null });

export async function readUnlockedKey(): Promise<StoredLockKey | null> {
  return storedLockKeySchema.safeParse(await unlockedKeyItem.getValue()).data ?? null;
}

/**
 * Refresh progress and checkpoint: `done`/`total` for the popup, `remaining` so a restarted
 * worker reads only the instances the previous one did not finish.
 */
export const refreshCheckpointSchema = z.object({
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  remaining: z.array(z.string()),
});
export type RefreshCheckpoint = z.infer<typeof refreshCheckpointSchema>;

export const refreshingItem = storage.defineItem<RefreshCheckpoint | null>('session:refreshing', { fallback: null });

export async function readRefreshing(): Promise<RefreshCheckpoint | null> {
  return refreshCheckpointSchema.safeParse(await refreshingItem.getValue()).data ?? null;
}

export const storedSessionSchema = z.object({ vendor: z.enum(SESSION_VENDORS), token: z.string().min(1), seenAt: z.string() }).strict();
export type StoredSession = z.infer<typeof storedSessionSchema>;

/**
 * Live console sessions by console origin (issue G). storage.session only — never storage.local:
 * the browser keeps it in memory, a restarted service worker or woken event page finds it again,
 * and it is gone when the browser closes. Like every storage.session item, it is out of content
 * scripts' reach (ext/background/app.ts asks for TRUSTED_CONTEXTS at every start).
 */
export const consoleSessionsItem = storage.defineItem<Record<string, StoredSession>>('session:consoleSessions', { fallback: {} });
