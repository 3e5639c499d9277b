import type { ResolvedInstance } from '../../lib/config';
import type { InstanceResult } from '../../lib/inventory';
import { diffKeys } from '../../lib/changes';
import { consolePageUrl } from '../../lib/consoles';
import type { InstanceChanges, InstanceStatus, KeyChange, KeyMeta, PopupState } from '../../lib/messages';
import { bucketize, finishRecord, type KeyRecord } from '../../lib/record';
import { readCache, readStoredInstances, writeCache, type PublicInstance } from '../storage';
import { createMutex } from './mutex';

type CredentialUsed = NonNullable<InstanceStatus['credential']>;

const exclusive = createMutex();

/** Everything the popup may know about a key: the record without the key itself. */
export function toKeyMeta(r: KeyRecord): KeyMeta {
  return {
    instance: r.instance,
    vendor: r.vendor,
    owner: r.owner,
    key_id: r.key_id,
    description: r.description,
    status: r.status,
    expires: r.expires,
    days_left: r.days_left,
  };
}

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
    const cache = await readCache();
    const previous = cache.statuses[inst.name];
    const before = cache.keys.filter((k) => k.instance === inst.name);
    const after = records.map(toKeyMeta);
    // Only two complete reads can be compared: a first read is not "everything added", and a
    // failed read holds only part of the keys. A failure keeps the last changes on show.
    const changes = !result.ok ? previous?.changes : previous?.ok ? changesOf(before, after) : undefined;
    cache.statuses[inst.name] = {
      lastRefresh: now.toISOString(),
      ok: result.ok,
      ...(result.error ? { error: result.error.message, errorKind: result.error.kind } : {}),
      ...(result.warnings.length ? { warnings: result.warnings } : {}),
      credential: credentialOf(inst),
      ...(changes ? { changes } : {}),
    };
    cache.keys = [...cache.keys.filter((k) => k.instance !== inst.name), ...after];
    await writeCache(cache);
  });
}

/** The popup lists this many changes per instance; the counts stay complete. */
export const MAX_CHANGE_ITEMS = 20;

export function changesOf(before: readonly KeyMeta[], after: readonly KeyMeta[]): InstanceChanges {
  const { added, removed, expiryChanged } = diffKeys(before, after);
  const item = (kind: KeyChange['kind'], k: KeyMeta, beforeExpires: string, afterExpires: string): KeyChange => ({
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
  const gone = new Set(names);
  return exclusive(async () => {
    const cache = await readCache();
    for (const name of gone) delete cache.statuses[name];
    cache.keys = cache.keys.filter((k) => !gone.has(k.instance));
    await writeCache(cache);
  });
}

/**
 * Days left count down between refreshes: recomputes status and days_left from `expires` at `now`.
 * An expired key stays expired (the vendor may have said so before its date).
 */
export function ageKeys(keys: readonly KeyMeta[], now: Date): KeyMeta[] {
  return keys.map((k) => {
    const { status, days_left } = finishRecord(
      { ...k, directory: '', key: '', roles: [], created: '', vendorSaysExpired: k.status === 'expired' },
      now,
    );
    return { ...k, status, days_left };
  });
}

/** The popup's view of the configured instances: per-instance outcome and counts, totals, and keys. */
export async function cachedView(instances: readonly (PublicInstance & { managed?: true })[], now: Date): Promise<Pick<PopupState, 'instances' | 'totals' | 'keys'>> {
  const cache = await readCache();
  const configured = new Set(instances.map((i) => i.name));
  const keys = ageKeys(cache.keys.filter((k) => configured.has(k.instance)), now);
  const byInstance = new Map<string, KeyMeta[]>();
  for (const k of keys) {
    const list = byInstance.get(k.instance);
    if (list) list.push(k);
    else byInstance.set(k.instance, [k]);
  }
  const statuses: InstanceStatus[] = instances.map((inst) => {
    const cached = cache.statuses[inst.name];
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
      buckets: bucketize(byInstance.get(inst.name) ?? []),
      ...consoleLink(inst),
      ...(cached?.changes ? { changes: cached.changes } : {}),
    };
  });
  return { instances: statuses, totals: bucketize(keys), keys };
}

function consoleLink(inst: PublicInstance): { consoleUrl?: string } {
  try {
    return { consoleUrl: consolePageUrl(inst) };
  } catch {
    // An instance without a usable URL has no console page to link to.
    return {};
  }
}
