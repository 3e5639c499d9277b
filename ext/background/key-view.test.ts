import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KeyMeta } from '../../lib/messages';
import { bucketize } from '../../lib/record';
import { KEY_WINDOWS, MAX_KEY_ROWS, timelineBar, toneOf } from '../ui/keys-view';
import { keyColumns, keyMeta, manyKeys } from '../../test/support/ui-fixtures';
import { NO_FILTER, overview, selectKeys, type KeyFilter } from './key-view';

const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const key = (expiresInDays: number | null, extra: Partial<Parameters<typeof keyMeta>[0]> = {}) =>
  keyMeta({ instance: 'vault', vendor: 'metadefender-vault', owner: 'alice', key_id: '1', expiresInDays, ...extra }, NOW);
const select = (keys: readonly KeyMeta[], filter: Partial<KeyFilter> = {}, limit = MAX_KEY_ROWS) => selectKeys(keyColumns(keys), { ...NO_FILTER, ...filter }, NOW, limit);

describe('the list order', () => {
  it('is expired first, then soonest, never last, ties by instance, owner and key id', () => {
    const keys = [
      key(null, { key_id: 'n' }),
      key(20.5, { key_id: 'b' }),
      key(20.5, { key_id: 'a' }),
      key(20.5, { instance: 'core', key_id: 'z' }),
      key(3.5, { key_id: 'c' }),
      key(-1.5, { key_id: 'd' }),
      key(-9.5, { key_id: 'e' }),
      key(90.5, { key_id: 'f', vendorSaysExpired: true }),
    ];
    expect(select(keys).rows.map((k) => `${k.instance}/${k.key_id}`)).toEqual(['vault/e', 'vault/d', 'vault/f', 'vault/c', 'core/z', 'vault/a', 'vault/b', 'vault/n']);
  });

  it('holds for any keys, and the first rows are the first of the whole list', () => {
    const arbKey = fc
      .record({
        days: fc.option(fc.integer({ min: -50, max: 500 })),
        expired: fc.boolean(),
        instance: fc.constantFrom('a', 'b', 'c'),
        key_id: fc.constantFrom('1', '2', ''),
        owner: fc.constantFrom('x', 'y'),
      })
      .map(({ days, expired, instance, key_id, owner }) => key(days === null ? null : days + 0.5, { instance, key_id, owner, vendorSaysExpired: expired }));
    fc.assert(
      fc.property(fc.array(arbKey, { maxLength: 60 }), fc.integer({ min: 0, max: 20 }), (keys: KeyMeta[], limit) => {
        const all = select(keys, {}, Infinity).rows;
        const rank = (k: KeyMeta) => (toneOf(k) === 'expired' ? 0 : toneOf(k) === 'never' ? 2 : 1);
        const sortKey = (k: KeyMeta) => [rank(k), k.days_left ?? Infinity, k.instance, k.owner, k.key_id] as const;
        for (let i = 1; i < all.length; i++) {
          const [a, b] = [sortKey(all[i - 1]!), sortKey(all[i]!)];
          const order = a.findIndex((v, j) => v !== b[j]);
          if (order >= 0) expect(a[order]! < b[order]!, `${a} before ${b}`).toBe(true);
        }
        expect(all).toHaveLength(keys.length);
        expect(new Set(all)).toEqual(new Set(keys));
        expect(select(keys, {}, limit)).toEqual({ rows: all.slice(0, limit), matched: keys.length });
      }),
    );
  });
});

describe('filters', () => {
  it.each(KEY_WINDOWS)('window %s keeps expired keys and those within it, and nothing else', (window) => {
    const keys = manyKeys(3000, NOW);
    const { rows, matched } = select(keys, { within: window }, Infinity);
    const expected = keys.filter((k) => (window === 'all' ? true : k.status === 'expired' || (k.days_left !== null && k.days_left <= window)));
    expect(matched).toBe(expected.length);
    const ids = (list: readonly KeyMeta[]) => list.map((k) => k.key_id).sort();
    expect(ids(rows)).toEqual(ids(expected));
  });

  it('returns at most MAX_KEY_ROWS rows but counts every match', () => {
    const view = select(manyKeys(10_000, NOW));
    expect(view.rows).toHaveLength(MAX_KEY_ROWS);
    expect(view.matched).toBe(10_000);
  });

  it('a timeline week keeps the keys of that bar only', () => {
    const keys = [key(-2.5), key(-40.5), key(0.5), key(6.5), key(7.5, { key_id: 'w1' }), key(83.5), key(84.5), key(null)];
    expect(select(keys, { week: 1 }).rows.map((k) => k.key_id)).toEqual(['w1']);
    expect(select(keys, { week: -1 }).matched).toBe(2);
  });
});

describe('key search', () => {
  const keys = [
    key(3.5, { owner: 'Alice', description: 'Nightly backup', key_id: '11' }),
    key(40.5, { instance: 'core-prod', owner: 'LOCAL\\bob', key_id: '', description: '' }),
    key(null, { owner: 'eve', key_id: 'A-2841', description: 'SOAR sync' }),
  ];
  it.each([
    ['nightly', ['Alice']],
    ['ALICE', ['Alice']],
    ['core-p', ['LOCAL\\bob']],
    ['vault', ['Alice', 'eve']],
    ['a-2841', ['eve']],
    ['  ', ['Alice', 'LOCAL\\bob', 'eve']],
    ['nobody', []],
  ])('"%s" finds %j', (query, owners) => {
    expect(select(keys, { query }).rows.map((k) => k.owner)).toEqual(owners);
  });

  it('searches every key, not only the rows drawn, and combines with the day filters', () => {
    const many = [...manyKeys(MAX_KEY_ROWS * 3, NOW), key(300.5, { owner: 'far-away-owner' })];
    expect(select(many, { query: 'far-away' })).toEqual({ rows: [many.at(-1)], matched: 1 });
    expect(select(many, { query: 'far-away', within: 90 })).toEqual({ rows: [], matched: 0 });
  });

  it('does not match across field boundaries', () => {
    expect(select(keys, { query: 'backupvault' }).rows).toEqual([]);
    expect(select(keys, { query: 'alicenightly' }).rows).toEqual([]);
  });

  it('finds what a search of each key’s own fields finds, lower case of any length included', () => {
    const arbKey = fc
      .record({ owner: fc.string(), description: fc.constantFrom('', 'İstanbul', 'STRASSE', 'ǅ', 'x'), key_id: fc.string({ maxLength: 3 }) })
      .map((f) => key(5.5, f));
    fc.assert(
      fc.property(fc.array(arbKey, { maxLength: 20 }), fc.constantFrom('i', 'i̇s', 'ss', 'ǆ', 'a', 'x'), (list, query) => {
        const expected = list.filter((k) => [k.owner, k.description, k.instance, k.key_id].some((field) => field.toLowerCase().includes(query)));
        expect(new Set(select(list, { query }, Infinity).rows)).toEqual(new Set(expected));
      }),
    );
  });
});

describe('overview', () => {
  it('counts totals, each instance and the timeline as bucketize and timelineBar do, with the unfiltered list', () => {
    const keys = manyKeys(2000, NOW);
    const { totals, byInstance, timeline, first } = overview(keyColumns(keys), NOW);
    expect(totals).toEqual(bucketize(keys));
    for (const [instance, buckets] of byInstance) expect(buckets).toEqual(bucketize(keys.filter((k) => k.instance === instance)));
    const bars = [-1, ...Array.from({ length: 12 }, (_, i) => i)].map((bar) => keys.filter((k) => timelineBar(k) === bar).length);
    expect(timeline).toEqual(bars);
    expect(first).toEqual(select(keys));
  });

  it('counts expired, then each of the next 12 weeks; never and later keys are left out', () => {
    const keys = [key(-2.5), key(-40.5), key(0.5), key(6.5), key(7.5), key(83.5), key(84.5), key(null)];
    expect(overview(keyColumns(keys), NOW).timeline).toEqual([2, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  });
});

describe('owners and the rotation policy', () => {
  const keys = [
    key(10.5, { key_id: 'old', ageDays: 400, owner_state: 'orphaned' }),
    key(null, { key_id: 'older', ageDays: 900, owner_state: 'inactive' }),
    key(5.5, { key_id: 'young', ageDays: 30, owner_state: 'active' }),
    key(-2.5, { key_id: 'unknown-age', owner_state: 'orphaned' }),
    key(20.5, { instance: 'core', key_id: 'edge', ageDays: 365 }),
  ];

  it('the overview counts orphaned keys per instance and keys older than the policy', () => {
    const { orphaned, rotate } = overview(keyColumns(keys), NOW, { maxKeyAgeDays: 365 });
    expect(Object.fromEntries(orphaned)).toEqual({ vault: 2, core: 0 });
    // Older than 365 days: 400 and 900; exactly 365 and an unknown age are not.
    expect(rotate).toBe(2);
    expect(overview(keyColumns(keys), NOW).rotate).toBe(0);
  });

  it('`rotate` lists only the keys older than the policy, in list order, and combines with a search', () => {
    const ids = (view: ReturnType<typeof select>) => view.rows.map((k) => k.key_id);
    expect(ids(select(keys, { within: 'rotate', maxKeyAgeDays: 365 }))).toEqual(['old', 'older']);
    expect(ids(select(keys, { within: 'rotate', maxKeyAgeDays: 20 }))).toEqual(['young', 'old', 'edge', 'older']);
    expect(select(keys, { within: 'rotate', maxKeyAgeDays: 365, query: 'core' }).matched).toBe(0);
    // Without a policy nothing is due.
    expect(select(keys, { within: 'rotate' }).matched).toBe(0);
  });

  it('each row carries its owner state, last login and age', () => {
    expect(select(keys, { query: 'young' }).rows[0]).toMatchObject({ owner_state: 'active', age_days: 30 });
  });
});
