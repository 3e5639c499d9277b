/** What a change comparison needs of a key: who it is and when it expires (a KeyRecord, a KeyMeta or a CSV row). */
export interface KeyIdentity {
  instance: string;
  owner: string;
  key_id: string;
  /** ISO 8601 or '' (never) */
  expires: string;
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
}

/** SPEC §5: a key is its instance plus its id, or its owner where the vendor has no id (Cloud, Core users without one). */
export function keyIdentity(key: KeyIdentity): string {
  return key.key_id ? `${key.instance}\u0000id\u0000${key.key_id}` : `${key.instance}\u0000owner\u0000${key.owner}`;
}

/** Instants, not strings: the same expiry may be written with or without milliseconds. */
function sameExpiry(a: string, b: string): boolean {
  if (a === b) return true;
  return a !== '' && b !== '' && Date.parse(a) === Date.parse(b);
}

/** Keys added, removed and whose expiry changed from `before` to `after`, each list in the order of its source. */
export function diffKeys<K extends KeyIdentity>(before: readonly K[], after: readonly K[]): KeyChanges<K> {
  const previous = new Map(before.map((key) => [keyIdentity(key), key]));
  const changes: KeyChanges<K> = { added: [], removed: [], expiryChanged: [] };
  const seen = new Set<string>();
  for (const key of after) {
    const id = keyIdentity(key);
    seen.add(id);
    const old = previous.get(id);
    if (!old) changes.added.push(key);
    else if (!sameExpiry(old.expires, key.expires)) changes.expiryChanged.push({ before: old, after: key });
  }
  for (const [id, key] of previous) if (!seen.has(id)) changes.removed.push(key);
  return changes;
}

export function changeCount(changes: KeyChanges<KeyIdentity>): number {
  return changes.added.length + changes.removed.length + changes.expiryChanged.length;
}
