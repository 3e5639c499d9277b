import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KeyMeta } from '../../lib/messages';
import { daysText, inWindow, KEY_WINDOWS, MAX_KEY_ROWS, pickRows, searchIndex, searchMatches, soonestKeys, timelineCounts, toneOf } from './keys-view';
import { keyMeta, manyKeys } from './test-fixtures';

const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const key = (expiresInDays: number | null, extra: Partial<Parameters<typeof keyMeta>[0]> = {}) =>
  keyMeta({ instance: 'vault', vendor: 'metadefender-vault', owner: 'alice', key_id: '1', expiresInDays, ...extra }, NOW);

describe('tone and day text', () => {
  it.each([
    [-3.5, 'expired', 'Expired'],
    [0.25, 'soon', '< 1 day'],
    [1.5, 'soon', '1 day'],
    [7.5, 'soon', '7 days'],
    [8.5, 'later', '8 days'],
    [null, 'never', 'Never'],
  ] as const)('a key expiring in %s days is %s, shown as %s', (days, tone, text) => {
    expect(toneOf(key(days))).toBe(tone);
    expect(daysText(key(days))).toBe(text);
  });

  it('trusts the vendor saying expired over a future date (seed 003 status)', () => {
    const k = key(40.5, { vendorSaysExpired: true });
    expect(toneOf(k)).toBe('expired');
    expect(daysText(k)).toBe('Expired');
  });

  it('colours amber exactly the SPEC §4 "≤7 days" bucket', () => {
    fc.assert(
      fc.property(fc.option(fc.double({ min: -100, max: 400, noNaN: true })), (days) => {
        const k = key(days);
        expect(toneOf(k) === 'soon').toBe(k.status === 'active' && k.days_left !== null && k.days_left <= 7);
      }),
    );
  });
});

describe('soonestKeys', () => {
  it('orders expired first, then soonest, never last, ties by instance, owner and key id', () => {
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
    expect(soonestKeys(keys, 'all').rows.map((k) => `${k.instance}/${k.key_id}`)).toEqual([
      'vault/e',
      'vault/d',
      'vault/f',
      'vault/c',
      'core/z',
      'vault/a',
      'vault/b',
      'vault/n',
    ]);
  });

  it.each(KEY_WINDOWS)('window %s keeps expired keys and those within it, and nothing else', (window) => {
    const keys = manyKeys(3000, NOW);
    const { rows, matched } = soonestKeys(keys, window, Infinity);
    const expected = keys.filter((k) =>
      window === 'all' ? true : k.status === 'expired' || (k.days_left !== null && k.days_left <= window),
    );
    expect(matched).toBe(expected.length);
    expect(new Set(rows)).toEqual(new Set(expected));
  });

  it('returns at most MAX_KEY_ROWS rows but counts every match, without touching the input', () => {
    const keys = manyKeys(10_000, NOW);
    const before = keys.slice();
    const view = soonestKeys(keys, 'all');
    expect(view.rows).toHaveLength(MAX_KEY_ROWS);
    expect(view.matched).toBe(10_000);
    expect(keys).toEqual(before);
  });

  it('orders any keys by tone rank, days left, then instance, owner and key id', () => {
    const arbKey = fc
      .record({
        days: fc.option(fc.integer({ min: -50, max: 500 })),
        expired: fc.boolean(),
        instance: fc.constantFrom('a', 'b'),
        key_id: fc.constantFrom('1', '2'),
      })
      .map(({ days, expired, instance, key_id }) =>
        key(days === null ? null : days + 0.5, { instance, key_id, vendorSaysExpired: expired }),
      );
    fc.assert(
      fc.property(fc.array(arbKey, { maxLength: 40 }), (keys: KeyMeta[]) => {
        const rows = soonestKeys(keys, 'all').rows;
        const rank = (k: KeyMeta) => (toneOf(k) === 'expired' ? 0 : toneOf(k) === 'never' ? 2 : 1);
        const sortKey = (k: KeyMeta) => [rank(k), k.days_left ?? Infinity, k.instance, k.owner, k.key_id] as const;
        for (let i = 1; i < rows.length; i++) {
          const [a, b] = [sortKey(rows[i - 1]!), sortKey(rows[i]!)];
          const order = a.findIndex((v, j) => v !== b[j]);
          if (order >= 0) expect(a[order]! < b[order]!, `${a} before ${b}`).toBe(true);
        }
        expect(rows).toHaveLength(keys.length);
        expect(rows.every((k) => inWindow(k, 'all'))).toBe(true);
      }),
    );
  });
});

describe('key search', () => {
  const keys = [
    key(3.5, { owner: 'Alice', description: 'Nightly backup', key_id: '11' }),
    key(40.5, { instance: 'core-prod', owner: 'LOCAL\\bob', key_id: '', description: '' }),
    key(null, { owner: 'eve', key_id: 'A-2841', description: 'SOAR sync' }),
  ];
  const index = searchIndex(keys);
  const search = (list: typeof keys, query: string, idx = searchIndex(list)) =>
    pickRows(list, (_, i) => searchMatches(idx, i, query.trim().toLowerCase()), Infinity).rows;
  it.each([
    ['nightly', ['Alice']],
    ['ALICE', ['Alice']],
    ['core-p', ['LOCAL\\bob']],
    ['a-2841', ['eve']],
    ['  ', ['Alice', 'LOCAL\\bob', 'eve']],
    ['nobody', []],
  ])('"%s" finds %j', (query, owners) => {
    expect(search(keys, query, index).map((k) => k.owner)).toEqual(owners);
  });

  it('searches every key, not only the rows drawn, and combines with the day filters', () => {
    const many = [...manyKeys(MAX_KEY_ROWS * 3, NOW), key(300.5, { owner: 'far-away-owner' })];
    const sorted = soonestKeys(many, 'all', Infinity).rows;
    const index = searchIndex(sorted);
    const pick = (window: 'all' | 90) => pickRows(sorted, (k, i) => inWindow(k, window) && searchMatches(index, i, 'far-away'));
    expect(pick('all')).toEqual({ rows: [many.at(-1)], matched: 1 });
    expect(pick(90)).toEqual({ rows: [], matched: 0 });
    // The first rows of a sorted list, in its order, and a count of every match.
    expect(pickRows(sorted, () => true)).toEqual({ rows: sorted.slice(0, MAX_KEY_ROWS), matched: sorted.length });
  });

  it('does not match across field boundaries', () => {
    expect(search(keys, 'backupvault')).toEqual([]);
  });
});

describe('timeline', () => {
  it('counts expired, then each of the next 12 weeks; never and later keys are left out', () => {
    const keys = [key(-2.5), key(-40.5), key(0.5), key(6.5), key(7.5), key(83.5), key(84.5), key(null)];
    expect(timelineCounts(keys)).toEqual([2, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  });
});
