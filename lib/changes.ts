/** What a change comparison needs of a key: who it is and when it expires (a KeyRecord, a KeyMeta or a CSV row). */
export interface KeyIdentity {
  instance: string;
  owner: string;
  key_id: string;
  /** ISO 8601 or '' (never) */
  expires: string;
  /** lib/owners.ts; undefined where the source does not say (a standard CSV export). */
  owner_state?: string;
}

export interface ExpiryChange<K extends KeyIdentity> {
  before: K;
  after: K;
}

export interface KeyChanges<K extends KeyIdentity> {
  added: K[];
  removed: K[];
  /** Renewed, rotated or shortened: same key, different expiry. */
  expiryChanged: ExpiryChange<K>[];
  /** Same key id, another owner (only keys with an id: without one, the owner is the identity). */
  ownerChanged: ExpiryChange<K>[];
  /** Keys still there whose owner was known and is now not in the user list. */
  orphaned: ExpiryChange<K>[];
}

/** docs/contract.md#ahead-of-expiry: a key is its instance plus its id, or its owner where the vendor has no id (Cloud, Core users without one). */
export function keyIdentity(key: KeyIdentity): string {
  return key.key_id ? `${key.instance}\u0000id\u0000${key.key_id}` : `${key.instance}\u0000owner\u0000${key.owner}`;
}

/** Instants, not strings: the same expiry may be written with or without milliseconds. */
function sameExpiry(a: string, b: string): boolean {
  if (a === b) return true;
  return a !== '' && b !== '' && Date.parse(a) === Date.parse(b);
}

/** Keys of one instance by their identity (keyIdentity): by id, or by owner where there is none. */
interface ByIdentity<K> {
  id: Map<string, K>;
  owner: Map<string, K>;
}

/**
 * Keys added, removed and whose expiry changed from `before` to `after`, each list in the order of
 * its source. Looked up by the strings the keys already hold, not by a keyIdentity string made per
 * key: the extension compares every instance's keys at every refresh (100,000 keys, docs/benchmarks.md#budgets).
 */
export function diffKeys<K extends KeyIdentity>(before: readonly K[], after: readonly K[]): KeyChanges<K> {
  const previous = new Map<string, ByIdentity<K>>();
  for (const key of before) {
    let instance = previous.get(key.instance);
    if (!instance) previous.set(key.instance, (instance = { id: new Map(), owner: new Map() }));
    if (key.key_id) instance.id.set(key.key_id, key);
    else instance.owner.set(key.owner, key);
  }
  // A later key of the same identity replaces an earlier one, as in a Map by keyIdentity.
  const find = (key: K) => {
    const instance = previous.get(key.instance);
    return key.key_id ? instance?.id.get(key.key_id) : instance?.owner.get(key.owner);
  };
  const changes: KeyChanges<K> = { added: [], removed: [], expiryChanged: [], ownerChanged: [], orphaned: [] };
  const seen = new Set<K>();
  for (const key of after) {
    const old = find(key);
    if (!old) changes.added.push(key);
    else {
      seen.add(old);
      if (!sameExpiry(old.expires, key.expires)) changes.expiryChanged.push({ before: old, after: key });
      if (old.owner !== key.owner) changes.ownerChanged.push({ before: old, after: key });
      if (key.owner_state === 'orphaned' && old.owner_state !== undefined && old.owner_state !== 'orphaned') changes.orphaned.push({ before: old, after: key });
    }
  }
  for (const key of before) {
    const old = find(key)!;
    if (!seen.has(old)) {
      seen.add(old);
      changes.removed.push(old);
    }
  }
  return changes;
}

export function changeCount(changes: KeyChanges<KeyIdentity>): number {
  return changes.added.length + changes.removed.length + changes.expiryChanged.length + changes.ownerChanged.length + changes.orphaned.length;
}
