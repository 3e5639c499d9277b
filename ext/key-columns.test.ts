import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KeyMeta } from '../lib/messages';
import { cacheOrder, columnsOf, keyAt, packColumns, sameColumns, unpackColumns } from './key-columns';

const NOW = Date.parse('2026-03-01T12:00:00.000Z');

const arbKey = fc.record({
  owner: fc.string({ unit: 'binary' }),
  key_id: fc.string(),
  description: fc.oneof(fc.string(), fc.constantFrom('a\\nb', 'line\nbreak', '\\', '\\\\n', '\n')),
  expires: fc.option(fc.integer({ min: -400, max: 400 }), { nil: undefined }).map((days) => (days === undefined ? '' : new Date(NOW + days * 3_600_000).toISOString())),
  status: fc.constantFrom('active' as const, 'expired' as const),
});

/** Few distinct values: keys that tie on some fields and differ in others. */
const arbLookalike = fc.record({
  owner: fc.constantFrom('a', 'b'),
  key_id: fc.constantFrom('', '1'),
  description: fc.constantFrom('', 'x'),
  expires: fc.constantFrom('', '2027-01-01T00:00:00.000Z'),
  status: fc.constantFrom('active' as const, 'expired' as const),
  created: fc.constantFrom('', '2025-01-01T00:00:00.000Z'),
  owner_state: fc.constantFrom('' as const, 'orphaned' as const),
  owner_last_login: fc.constantFrom('', '2026-01-01T00:00:00.000Z'),
});

describe('key columns', () => {
  it('come back from storage as they went in, whatever the text holds', () => {
    fc.assert(
      fc.property(fc.array(arbKey, { maxLength: 30 }), (keys) => {
        const columns = columnsOf('vault', 'metadefender-vault', keys);
        const back = unpackColumns('vault', 'metadefender-vault', JSON.parse(JSON.stringify(packColumns(columns))));
        expect(back).toEqual(columns);
      }),
    );
  });

  it('age each key at the time asked, keeping what the vendor said', () => {
    const keys = [
      { owner: 'a', key_id: '1', description: '', expires: new Date(NOW + 10.5 * 86_400_000).toISOString(), status: 'active' as const },
      { owner: 'b', key_id: '2', description: '', expires: new Date(NOW + 10.5 * 86_400_000).toISOString(), status: 'expired' as const },
      { owner: 'c', key_id: '3', description: '', expires: '', status: 'active' as const },
    ];
    const columns = columnsOf('core', 'metadefender-core', keys);
    const later = NOW + 11 * 86_400_000;
    expect([0, 1, 2].map((i) => keyAt(columns, i, later))).toEqual<KeyMeta[]>([
      { instance: 'core', vendor: 'metadefender-core', ...keys[0]!, status: 'expired', days_left: -1, owner_state: '', owner_last_login: '', age_days: null },
      { instance: 'core', vendor: 'metadefender-core', ...keys[1]!, status: 'expired', days_left: -1, owner_state: '', owner_last_login: '', age_days: null },
      { instance: 'core', vendor: 'metadefender-core', ...keys[2]!, status: 'active', days_left: null, owner_state: '', owner_last_login: '', age_days: null },
    ]);
  });

  it('keep each key’s owner state and last login, and age it from its creation date at the time asked', () => {
    const created = new Date(NOW - 100.5 * 86_400_000).toISOString();
    const login = new Date(NOW - 3 * 86_400_000).toISOString();
    const keys = [
      { owner: 'a', key_id: '1', description: '', expires: '', status: 'active' as const, created, owner_state: 'active' as const, owner_last_login: login },
      { owner: 'b\\x', key_id: '2', description: '', expires: '', status: 'active' as const, created: '', owner_state: 'orphaned' as const, owner_last_login: '' },
      { owner: 'c', key_id: '3', description: '', expires: '', status: 'active' as const },
    ];
    const stored = packColumns(columnsOf('xsiam', 'cortex-xsiam', keys));
    expect(stored.ownerState).toBe('ao-');
    const columns = unpackColumns('xsiam', 'cortex-xsiam', stored)!;
    expect([0, 1, 2].map((i) => keyAt(columns, i, NOW + 10 * 86_400_000))).toMatchObject([
      { owner_state: 'active', owner_last_login: login, age_days: 110 },
      { owner_state: 'orphaned', owner_last_login: '', age_days: null },
      { owner_state: '', owner_last_login: '', age_days: null },
    ]);
    // Written before owners were kept: every key's state and age unknown, nothing damaged.
    const { created: _c, ownerState: _o, lastLogin: _l, ...older } = stored;
    expect(keyAt(unpackColumns('xsiam', 'cortex-xsiam', older)!, 0, NOW)).toMatchObject({ owner_state: '', age_days: null });
    for (const broken of [{ ...stored, ownerState: 'ax-' }, { ...stored, ownerState: 'a' }, { ...stored, created: 'x' }])
      expect(unpackColumns('xsiam', 'cortex-xsiam', broken)).toBeUndefined();
  });

  it('are the same for the same keys read in any order, and differ for any change of a field', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(arbKey, arbLookalike, arbLookalike), { maxLength: 30 }).chain((keys) => fc.tuple(fc.constant(keys), fc.shuffledSubarray(keys, { minLength: keys.length }))), ([keys, shuffled]) => {
        const columns = (list: typeof keys) => columnsOf('vault', 'metadefender-vault', [...list].sort(cacheOrder));
        expect(sameColumns(columns(keys), columns(shuffled))).toBe(true);
      }),
    );
    const key = { owner: 'a', key_id: '1', description: 'x', expires: '', status: 'active' as const, created: '', owner_state: '' as const, owner_last_login: '' };
    const one = columnsOf('v', 'metadefender-vault', [key]);
    expect(sameColumns(one, columnsOf('v', 'metadefender-vault', [{ ...key }]))).toBe(true);
    for (const changed of [{ owner: 'b' }, { key_id: '2' }, { description: '' }, { expires: '2027-01-01T00:00:00.000Z' }, { status: 'expired' as const }, { created: '2025-01-01T00:00:00.000Z' }, { owner_state: 'orphaned' as const }, { owner_last_login: '2026-01-01T00:00:00.000Z' }])
      expect(sameColumns(one, columnsOf('v', 'metadefender-vault', [{ ...key, ...changed }]))).toBe(false);
    expect(sameColumns(one, columnsOf('w', 'metadefender-vault', [key]))).toBe(false);
    expect(sameColumns(one, columnsOf('v', 'metadefender-vault', [key, key]))).toBe(false);
  });

  it('are refused when the columns do not fit together', () => {
    const stored = packColumns(columnsOf('v', 'metadefender-vault', [{ owner: 'a', key_id: '1', description: 'x', expires: '', status: 'active' }]));
    expect(unpackColumns('v', 'metadefender-vault', stored)).toBeDefined();
    for (const broken of [{ ...stored, count: 2 }, { ...stored, owner: 'a\nb' }, { ...stored, expired: '2' }, { ...stored, count: 0 }])
      expect(unpackColumns('v', 'metadefender-vault', broken)).toBeUndefined();
  });
});
