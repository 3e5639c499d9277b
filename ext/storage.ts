import { storage } from 'wxt/utils/storage';
import { z } from 'zod';
import { formatPath, instanceSchema } from '../lib/config';
import { sealedBoxSchema, storedLockKeySchema, type StoredLockKey } from '../lib/lock';
import { credentialUsedSchema, instanceChangesSchema, keyMetaSchema, notifySettingsSchema, type NotifySettings } from '../lib/messages';
import { DEFAULT_THRESHOLDS, NOTHING_ANNOUNCED, type Announced } from '../lib/expiry-alerts';
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
  errorKind: z.string().optional(),
  warnings: z.array(z.string()).optional(),
  credential: credentialUsedSchema.optional(),
  changes: instanceChangesSchema.optional(),
});

/** What the popup shows: key metadata, never key values. */
export const cacheSchema = z.object({
  statuses: z.record(z.string(), cachedStatusSchema),
  keys: z.array(keyMetaSchema),
});
export type Cache = z.infer<typeof cacheSchema>;

const EMPTY_CACHE: Cache = { statuses: {}, keys: [] };

/**
 * The cache as stored (v2): one run per instance naming its instance and vendor once, then one
 * row per key without field names. With 100,000 keys, v1's objects spelled every field name and
 * the instance and vendor in every key (SPEC §7: the cache's storage.local footprint).
 */
const keyRowSchema = z.tuple([
  keyMetaSchema.shape.owner,
  keyMetaSchema.shape.key_id,
  keyMetaSchema.shape.description,
  keyMetaSchema.shape.expires,
  keyMetaSchema.shape.status,
  keyMetaSchema.shape.days_left,
]);
const storedCacheSchema = z.object({
  statuses: cacheSchema.shape.statuses,
  runs: z.array(z.object({ instance: z.string(), vendor: keyMetaSchema.shape.vendor, keys: z.array(keyRowSchema) })),
});
type StoredCache = z.infer<typeof storedCacheSchema>;

function packCache({ statuses, keys }: Cache): StoredCache {
  const runs: StoredCache['runs'] = [];
  let run: StoredCache['runs'][number] | undefined;
  for (const k of keys) {
    if (run?.instance !== k.instance || run.vendor !== k.vendor) runs.push((run = { instance: k.instance, vendor: k.vendor, keys: [] }));
    run.keys.push([k.owner, k.key_id, k.description, k.expires, k.status, k.days_left]);
  }
  return { statuses, runs };
}

function unpackCache({ statuses, runs }: StoredCache): Cache {
  const keys = runs.flatMap(({ instance, vendor, keys: rows }) =>
    rows.map(([owner, key_id, description, expires, status, days_left]) => ({ instance, vendor, owner, key_id, description, status, expires, days_left })),
  );
  return { statuses, keys };
}

export const cacheItem = storage.defineItem<StoredCache>('local:cache', {
  version: 2,
  fallback: packCache(EMPTY_CACHE),
  // A damaged v1 cache is dropped, as readCache drops a damaged one: the next refresh rebuilds it.
  migrations: { 2: (v1: unknown) => packCache(cacheSchema.safeParse(v1).data ?? EMPTY_CACHE) },
});

export async function readCache(): Promise<Cache> {
  // The cache is rebuilt by the next refresh, so a damaged one is simply dropped.
  const stored = storedCacheSchema.safeParse(await cacheItem.getValue()).data;
  return stored ? unpackCache(stored) : { statuses: {}, keys: [] };
}

export async function writeCache(value: Cache): Promise<void> {
  await cacheItem.setValue(packCache(cacheSchema.parse(value)));
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

export const DEFAULT_NOTIFY_SETTINGS: NotifySettings = { enabled: false, ...DEFAULT_THRESHOLDS };

/** Notification opt-in and thresholds (storage.local: they outlive the browser session). */
export const notifySettingsItem = storage.defineItem<NotifySettings>('local:notifySettings', { fallback: DEFAULT_NOTIFY_SETTINGS });

export async function readNotifySettings(): Promise<NotifySettings> {
  return notifySettingsSchema.safeParse(await notifySettingsItem.getValue()).data ?? DEFAULT_NOTIFY_SETTINGS;
}

const announcedSchema = z.object({
  keys: z.record(z.string(), z.object({ expires: z.string(), levels: z.array(z.union([z.literal('expired'), z.number()])) })),
  failed: z.array(z.string()),
});

/**
 * What was already announced (lib/expiry-alerts), in storage.local so neither a browser restart
 * nor a restarted service worker announces a key twice at one threshold.
 */
export const announcedItem = storage.defineItem<Announced>('local:announced', { fallback: NOTHING_ANNOUNCED });

export async function readAnnounced(): Promise<Announced> {
  return announcedSchema.safeParse(await announcedItem.getValue()).data ?? NOTHING_ANNOUNCED;
}

/** SPEC §5 idle auto-lock, in minutes (0: off); the user's choice outlives the browser session. */
export const autoLockItem = storage.defineItem<number>('local:autoLockMinutes', { fallback: 0 });

/**
 * When a popup, options page or console button last sent a message. storage.session: a stopped
 * worker or suspended event page still knows it, and a browser restart (which locks anyway) empties it.
 */
export const lastActivityItem = storage.defineItem<number | null>('session:lastActivity', { fallback: null });
