import { describe, expect, it } from 'vitest';
import { changeCount, diffKeys, type KeyIdentity } from './changes';

const key = (instance: string, key_id: string, owner: string, expires = ''): KeyIdentity => ({ instance, key_id, owner, expires });

describe('diffKeys', () => {
  it('finds added, removed and renewed keys by instance + key_id', () => {
    const before = [key('vault', '1', 'alice', '2026-12-01T00:00:00.000Z'), key('vault', '2', 'bob', '2026-12-05T00:00:00.000Z'), key('xsoar', '7', 'eve')];
    const after = [key('vault', '1', 'alice', '2027-12-01T00:00:00.000Z'), key('xsoar', '7', 'eve'), key('vault', '3', 'bob', '2027-01-01T00:00:00.000Z')];
    const changes = diffKeys(before, after);
    expect(changes.added).toEqual([after[2]]);
    expect(changes.removed).toEqual([before[1]]);
    expect(changes.expiryChanged).toEqual([{ before: before[0], after: after[0] }]);
    expect(changeCount(changes)).toBe(3);
  });

  it('uses the owner where a vendor has no key id, and never mixes instances', () => {
    const before = [key('cloud', '', 'nick', '2026-01-31T00:00:00.000Z'), key('core-a', '', 'LOCAL\\admin')];
    const after = [key('cloud', '', 'nick', '2027-01-31T00:00:00.000Z'), key('core-b', '', 'LOCAL\\admin')];
    const changes = diffKeys(before, after);
    expect(changes.expiryChanged.map((c) => c.after.instance)).toEqual(['cloud']);
    expect(changes.added.map((k) => k.instance)).toEqual(['core-b']);
    expect(changes.removed.map((k) => k.instance)).toEqual(['core-a']);
  });

  it('a key id is not confused with an owner of the same text', () => {
    const changes = diffKeys([key('core', '', 'admin')], [key('core', 'admin', 'someone')]);
    expect(changeCount(changes)).toBe(2);
  });

  it('compares expiry instants, not strings; never → a date is a change', () => {
    expect(changeCount(diffKeys([key('v', '1', 'a', '2026-12-01T00:00:00Z')], [key('v', '1', 'a', '2026-12-01T00:00:00.000Z')]))).toBe(0);
    expect(diffKeys([key('v', '1', 'a', '')], [key('v', '1', 'a', '2026-12-01T00:00:00.000Z')]).expiryChanged).toHaveLength(1);
  });

  it('identical sets have no changes', () => {
    const keys = [key('v', '1', 'a', '2026-12-01T00:00:00.000Z'), key('c', '', 'b')];
    expect(changeCount(diffKeys(keys, [...keys].reverse()))).toBe(0);
  });
});
