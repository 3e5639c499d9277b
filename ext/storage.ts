import { storage } from 'wxt/utils/storage';
import { z } from 'zod';
import { formatPath, instanceSchema } from '../lib/config';
import { sealedBoxSchema, storedLockKeySchema, type StoredLockKey } from '../lib/lock';
import { coverageSchema, credentialUsedSchema, instanceChangesSchema, keyMetaSchema, notifySettingsSchema, type KeyMeta, type NotifySettings } from '../lib/messages';
import { DEFAULT_THRESHOLDS, NOTHING_ANNOUNCED, type Announced } from '../lib/expiry-alerts';
import { SESSION_VENDORS } from '../lib/session-capture';
import { VENDOR_IDS } from '../lib/vendors';
import { columnsOf, keyAt, packColumns, sameColumns, unpackColumns, type KeyColumns } from './key-columns';

/**
 * Every storage item of the extension (docs/contract.md#storage). Background only: pages ask the background, so
 * secrets never reach a page. Never storage.sync: credentials must not leave this machine.
 */

/** An instance without its secrets: what can be read and shown while the lock is closed. */
export const publicInstanceSchema = z.object(instanceSchema.shape).omit({ apiKey: true, password: true }).strict();
export type PublicInstance = z.infer<typeof publicInstanceSchema>;

export const instanceSecretsSchema = z
  .object({ apiKey: z.string().min(1).optional(), password: z.string().min(1).optional() })
  .strict();

/** What a secret is for (ext/stored-secrets.ts `bindingOf`): sealed with it, so storage cannot re-point it. */
export const secretBindingSchema = z
  .object({ name: z.string(), vendor: z.string(), origin: z.string(), username: z.string().optional(), keyId: z.string().optional() })
  .strict();
export type SecretBinding = z.infer<typeof secretBindingSchema>;

/**
 * Unsealed secrets by instance name, each with the instance it was saved for (absent in lists
 * written before the binding: then the stored instance of that name is what it was saved for).
 */
export const secretsByNameSchema = z.record(z.string(), instanceSecretsSchema.extend({ for: secretBindingSchema.optional() }).strict());
export type SecretsByName = z.infer<typeof secretsByNameSchema>;

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

/** Per-instance outcome of the last refresh; counts are derived from its keys when read. */
export const cachedStatusSchema = z.object({
  lastRefresh: z.string(),
  ok: z.boolean(),
  error: z.string().optional(),
  errorKind: z.string().optional(),
  warnings: z.array(z.string()).optional(),
  credential: credentialUsedSchema.optional(),
  /**
   * Optional, so the cache stays v3: a status written before coverage was kept, or with a value
   * this build does not know, reads as "not stated" until the next refresh; an older build
   * reading this one drops the field.
   */
  coverage: coverageSchema.optional().catch(undefined),
  changes: instanceChangesSchema.optional(),
});
export type CachedStatus = z.infer<typeof cachedStatusSchema>;

/** What the popup shows: key metadata, never key values. (v1 stored exactly this.) */
export const cacheSchema = z.object({
  statuses: z.record(z.string(), cachedStatusSchema),
  keys: z.array(keyMetaSchema),
});
export type Cache = z.infer<typeof cacheSchema>;

/**
 * The cache as stored (v3): the statuses in `cache`, and each instance's keys in an item of its
 * own, `cache:<name>`, as columns (ext/key-columns.ts). A refresh writes each instance's keys
 * once, with its status in the same `storage.local.set`; with 100,000 keys, v2 (one value holding
 * every key as an array of fields) was read, validated and written whole after every instance,
 * which took the refresh ten times as long as the reading itself (docs/benchmarks.md#budgets: the extension at scale).
 */
const storedCacheSchema = z
  .object({
    statuses: cacheSchema.shape.statuses,
    /** Instance name → the stamp of its keys item's last write: a worker's decoded copy is current when they match. */
    keys: z.record(z.string(), z.string()),
  })
  .strict();
type StoredCache = z.infer<typeof storedCacheSchema>;

const storedKeysSchema = z
  .object({
    stamp: z.string(),
    vendor: z.enum(VENDOR_IDS),
    count: z.number().int().nonnegative(),
    owner: z.string(),
    keyId: z.string(),
    description: z.string(),
    expires: z.string(),
    expired: z.string(),
    created: z.string().optional(),
    ownerState: z.string().optional(),
    lastLogin: z.string().optional(),
  })
  .strict();

const keysItemKey = (name: string) => `local:cache:${name}` as const;

/** v2, frozen for its migration: one run per instance and vendor, one row of fields per key. */
const v2CacheSchema = z.object({
  statuses: cacheSchema.shape.statuses,
  runs: z.array(
    z.object({
      instance: z.string(),
      vendor: keyMetaSchema.shape.vendor,
      keys: z.array(z.tuple([z.string(), z.string(), z.string(), z.string(), keyMetaSchema.shape.status, keyMetaSchema.shape.days_left])),
    }),
  ),
});

/** Any earlier cache as v1's flat shape; undefined when damaged (the next refresh rebuilds it). */
function flatCacheOf(value: unknown): Cache | undefined {
  const v2 = v2CacheSchema.safeParse(value);
  if (v2.success)
    return {
      statuses: v2.data.statuses,
      keys: v2.data.runs.flatMap(({ instance, vendor, keys }) =>
        keys.map(([owner, key_id, description, expires, status, days_left]) => ({ instance, vendor, owner, key_id, description, status, expires, days_left })),
      ),
    };
  return cacheSchema.safeParse(value).data;
}

/**
 * v1 and v2 → v3: each instance's keys into its own item, written before the statuses that name
 * them. A value already in v3's shape (its version mark was lost) passes through untouched.
 */
async function migrateCacheToV3(old: unknown): Promise<StoredCache> {
  if (storedCacheSchema.safeParse(old).success) return old as StoredCache;
  const { statuses, keys } = flatCacheOf(old) ?? { statuses: {}, keys: [] };
  const byInstance = new Map<string, KeyMeta[]>();
  for (const k of keys) {
    const mine = byInstance.get(k.instance);
    if (mine) mine.push(k);
    else byInstance.set(k.instance, [k]);
  }
  const written = [...byInstance].map(([name, mine]) => ({ name, stamp: crypto.randomUUID(), columns: columnsOf(name, mine[0]!.vendor, mine) }));
  await storage.setItems(written.map(({ name, stamp, columns }) => ({ key: keysItemKey(name), value: { stamp, vendor: columns.vendor, ...packColumns(columns) } })));
  return { statuses, keys: Object.fromEntries(written.map(({ name, stamp }) => [name, stamp])) };
}

export const cacheItem = storage.defineItem<StoredCache>('local:cache', {
  version: 3,
  fallback: { statuses: {}, keys: {} },
  migrations: {
    // v1 was the flat cache; the step to v3 reads it as it reads v2.
    2: (v1: unknown) => v1,
    3: migrateCacheToV3,
  },
});

async function readStored(): Promise<StoredCache> {
  // The cache is rebuilt by the next refresh, so a damaged one is simply dropped.
  return storedCacheSchema.safeParse(await cacheItem.getValue()).data ?? { statuses: {}, keys: {} };
}

/**
 * This worker's decoded copy of each instance's keys, by name. A popup opening reads only the
 * small statuses item; an instance's keys are read and decoded again only when its stamp changed.
 */
const decoded = new Map<string, { stamp: string; columns: KeyColumns }>();

export interface CacheColumns {
  statuses: StoredCache['statuses'];
  columns: KeyColumns[];
}

/** The statuses, and as columns the keys of every instance cached (or of those in `only`). */
export async function readCacheColumns(only?: readonly string[]): Promise<CacheColumns> {
  const { statuses, keys } = await readStored();
  const wanted = only ? new Set(only) : undefined;
  const names = Object.keys(keys).filter((name) => !wanted || wanted.has(name));
  const stale = names.filter((name) => decoded.get(name)?.stamp !== keys[name]);
  if (stale.length) {
    const items = await storage.getItems(stale.map(keysItemKey));
    items.forEach(({ value }, i) => {
      const name = stale[i]!;
      const stored = storedKeysSchema.safeParse(value).data;
      const columns = stored && stored.stamp === keys[name] ? unpackColumns(name, stored.vendor, stored) : undefined;
      // A damaged or mismatched item is reported as missing keys until the next refresh writes it again.
      if (columns) decoded.set(name, { stamp: stored!.stamp, columns });
      else decoded.delete(name);
    });
  }
  const columns: KeyColumns[] = [];
  const shown = { ...statuses };
  for (const name of names) {
    const copy = decoded.get(name);
    if (copy && copy.stamp === keys[name]) columns.push(copy.columns);
    // Complete or loud (docs/contract.md#outcomes): keys that cannot be read back are missing, not zero.
    else if (shown[name]) shown[name] = { ...shown[name], ok: false, errorKind: 'incomplete', error: 'its cached keys could not be read back from storage; refresh to read them again' };
  }
  return { statuses: shown, columns };
}

/** The cache as one list of keys, aged at `now` (notifications, tests). */
export async function readCache(now = new Date()): Promise<Cache> {
  const { statuses, columns } = await readCacheColumns();
  return { statuses, keys: columns.flatMap((c) => c.owner.map((_, i) => keyAt(c, i, now.getTime()))) };
}

/** Replaces one instance's status and keys: both in one `storage.local.set`, so neither is ever written without the other (keys as stored are not written again). */
export async function writeCachedInstance(name: string, status: CachedStatus, columns: KeyColumns): Promise<void> {
  const { statuses, keys } = await readStored();
  const kept = decoded.get(name);
  // Most refreshes find the keys the last one found: then the keys item in storage (its stamp
  // still named by the cache item) already holds them, and only the status is written. Rewriting
  // megabytes of the same keys cost the browser process more than the rest of the refresh's
  // extension work (docs/benchmarks.md#budgets: the extension at scale).
  const unchanged = kept !== undefined && kept.stamp === keys[name] && sameColumns(kept.columns, columns);
  const stamp = unchanged ? kept.stamp : crypto.randomUUID();
  const value: StoredCache = { statuses: { ...statuses, [name]: cachedStatusSchema.parse(status) }, keys: { ...keys, [name]: stamp } };
  await storage.setItems([
    ...(unchanged ? [] : [{ key: keysItemKey(name), value: { stamp, vendor: columns.vendor, ...packColumns(columns) } }]),
    { key: cacheItem.key, value },
  ]);
  // The copy kept keeps what was made from it (the popup's search text), not to be made again.
  decoded.set(name, unchanged ? kept : { stamp, columns });
}

/** Drops what is cached for these instances: the cache item first, so a keys item is never read once it goes. */
export async function forgetCachedInstances(names: readonly string[]): Promise<void> {
  const { statuses, keys } = await readStored();
  for (const name of names) {
    delete statuses[name];
    delete keys[name];
    decoded.delete(name);
  }
  await cacheItem.setValue({ statuses, keys });
  await storage.removeItems(names.map(keysItemKey));
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
 * Live console sessions by console origin (docs/contract.md#console-sessions). storage.session only — never storage.local:
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
  keys: z.record(z.string(), z.object({ expires: z.string(), levels: z.array(z.union([z.literal('expired'), z.literal('rotate'), z.number()])) })),
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

/** docs/contract.md#secrets-at-rest idle auto-lock, in minutes (0: off); the user's choice outlives the browser session. */
export const autoLockItem = storage.defineItem<number>('local:autoLockMinutes', { fallback: 0 });

/**
 * When a popup, options page or console button last sent a message. storage.session: a stopped
 * worker or suspended event page still knows it, and a browser restart (which locks anyway) empties it.
 */
export const lastActivityItem = storage.defineItem<number | null>('session:lastActivity', { fallback: null });
