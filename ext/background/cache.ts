import type { ResolvedInstance } from '../../lib/config';
import type { InstanceResult } from '../../lib/inventory';
import { diffKeys, type KeyIdentity } from '../../lib/changes';
import { consolePageUrl } from '../../lib/consoles';
import type { InstanceChanges, InstanceStatus, KeyChange, KeyMeta, KeysView, PopupState } from '../../lib/messages';
import { bucketize, type KeyRecord } from '../../lib/record';
import { cacheOrder, columnsOf, keyAt } from '../key-columns';
import { forgetCachedInstances, readCacheColumns, readStoredInstances, writeCachedInstance, type CacheColumns, type PublicInstance } from '../storage';
import { overview, prepareSearch, selectKeys, type KeyFilter } from './key-view';
import { createMutex } from './mutex';

type CredentialUsed = NonNullable<InstanceStatus['credential']>;

const exclusive = createMutex();

/**
 * Which credential a read uses: a live console session, or the instance's saved credentials (an
 * API key, or a username and password KeyAtlas logs in with: lib/messages.ts counts both as `apiKey`).
 */
export function credentialOf(inst: ResolvedInstance): CredentialUsed {
  if (inst.sessionToken) return 'session';
  return inst.apiKey || inst.password ? 'apiKey' : 'none';
}

/**
 * Replaces one instance's keys and status with the outcome of a fresh read. A read that ends after
 * its instance was removed, renamed or pointed elsewhere writes nothing: its entry would come back
 * under a name no longer configured (forgetInstances already dropped it), or stand for another host.
 */
export function cacheInstanceResult(inst: ResolvedInstance, records: readonly KeyRecord[], result: InstanceResult, now: Date): Promise<void> {
  return exclusive(async () => {
    const { instances } = await readStoredInstances();
    if (!instances.some((c) => c.name === inst.name && c.vendor === inst.vendor && c.url === inst.url)) return;
    const { statuses, columns } = await readCacheColumns([inst.name]);
    const previous = statuses[inst.name];
    // Only two complete reads can be compared: a first read is not "everything added", and a
    // failed read holds only part of the keys. A failure keeps the last changes on show.
    const before = () => columns.flatMap((c) => c.owner.map((_, i) => keyAt(c, i, now.getTime())));
    const changes = !result.ok ? previous?.changes : previous?.ok ? changesOf(before(), records) : undefined;
    await writeCachedInstance(
      inst.name,
      {
        lastRefresh: now.toISOString(),
        ok: result.ok,
        ...(result.error ? { error: result.error.message, errorKind: result.error.kind } : {}),
        ...(result.warnings.length ? { warnings: result.warnings } : {}),
        credential: credentialOf(inst),
        coverage: result.coverage,
        ...(changes ? { changes } : {}),
      },
      // Straight from the records: the key itself never reaches the cache.
      columnsOf(inst.name, inst.vendor, [...records].sort(cacheOrder)),
    );
  });
}

/** The popup lists this many changes per instance; the counts stay complete. */
export const MAX_CHANGE_ITEMS = 20;

type ChangedKey = KeyIdentity & Pick<KeyMeta, 'description'>;

export function changesOf(before: readonly ChangedKey[], after: readonly ChangedKey[]): InstanceChanges {
  const { added, removed, expiryChanged } = diffKeys(before, after);
  const item = (kind: KeyChange['kind'], k: ChangedKey, beforeExpires: string, afterExpires: string): KeyChange => ({
    kind,
    owner: k.owner,
    key_id: k.key_id,
    description: k.description,
    before: beforeExpires,
    after: afterExpires,
  });
  const items = [
    ...expiryChanged.map((c) => item('expiry', c.after, c.before.expires, c.after.expires)),
    ...added.map((k) => item('added', k, '', k.expires)),
    ...removed.map((k) => item('removed', k, k.expires, '')),
  ];
  return { added: added.length, removed: removed.length, expiry: expiryChanged.length, items: items.slice(0, MAX_CHANGE_ITEMS) };
}

/** Drops what is cached for instances that were removed or renamed. */
export function forgetInstances(names: readonly string[]): Promise<void> {
  return exclusive(() => forgetCachedInstances(names));
}

/** The popup's view of the configured instances: per-instance outcome and counts, totals, timeline and the first keys. */
export async function cachedView(
  instances: readonly (PublicInstance & { managed?: true })[],
  now: Date,
  cache?: CacheColumns,
  maxKeyAgeDays?: number,
): Promise<Pick<PopupState, 'instances' | 'totals' | 'keys' | 'timeline' | 'maxKeyAgeDays' | 'rotate'>> {
  const { statuses, columns } = configuredOnly(cache ?? (await readCacheColumns()), instances);
  const { totals, byInstance, orphaned, rotate, timeline, first } = overview(columns, now.getTime(), { maxKeyAgeDays });
  const none = bucketize([]);
  const views: InstanceStatus[] = instances.map((inst) => {
    const cached = statuses[inst.name];
    return {
      name: inst.name,
      vendor: inst.vendor,
      ...(inst.url ? { url: inst.url } : {}),
      ...(inst.managed ? { managed: true } : {}),
      lastRefresh: cached?.lastRefresh ?? null,
      ok: cached?.ok ?? null,
      ...(cached?.error ? { error: cached.error } : {}),
      ...(cached?.errorKind ? { errorKind: cached.errorKind } : {}),
      ...(cached?.warnings?.length ? { warnings: cached.warnings } : {}),
      ...(cached?.credential ? { credential: cached.credential } : {}),
      ...(cached?.coverage ? { coverage: cached.coverage } : {}),
      buckets: byInstance.get(inst.name) ?? none,
      ...(orphaned.get(inst.name) ? { orphaned: orphaned.get(inst.name) } : {}),
      ...consoleLink(inst),
      ...(cached?.changes ? { changes: cached.changes } : {}),
    };
  });
  return { instances: views, totals, keys: first, timeline, ...(maxKeyAgeDays ? { maxKeyAgeDays, rotate } : {}) };
}

/** The configured instances' part only: a removed instance's keys never reach the popup. */
function configuredOnly({ statuses, columns }: CacheColumns, instances: readonly PublicInstance[]): CacheColumns {
  const names = new Set(instances.map((i) => i.name));
  return { statuses, columns: columns.filter((c) => names.has(c.instance)) };
}

/** After the popup opened, while it draws: each instance's search text, so its first search is as quick as the next. */
export async function prepareKeySearch(): Promise<void> {
  prepareSearch((await readCacheColumns()).columns);
}

/** `keys:view`: the popup's list for a search, day window or rotation filter and timeline week, over every configured instance's keys. */
export function cachedKeys(instances: readonly PublicInstance[], cache: CacheColumns, filter: KeyFilter, now: Date): KeysView {
  return selectKeys(configuredOnly(cache, instances).columns, filter, now.getTime());
}

function consoleLink(inst: PublicInstance): { consoleUrl?: string } {
  try {
    return { consoleUrl: consolePageUrl(inst) };
  } catch {
    // An instance without a usable URL has no console page to link to.
    return {};
  }
}
