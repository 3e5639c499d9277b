import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KeyMeta } from '../lib/messages';
import { columnsOf, keyAt, packColumns, unpackColumns } from './key-columns';

const NOW = Date.parse('2026-03-01T12:00:00.000Z');

const arbKey = fc.record({
  owner: fc.string({ unit: 'binary' }),
  key_id: fc.string(),
  description: fc.oneof(fc.string(), fc.constantFrom('a\\nb', 'line\nbreak', '\\', '\\\\n', '\n')),
  expires: fc.option(fc.integer({ min: -400, max: 400 }), { nil: undefined }).map((days) => (days === undefined ? '' : new Date(NOW + days * 3_600_000).toISOString())),
  status: fc.constantFrom('active' as const, 'expired' as const),
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
      { instance: 'core', vendor: 'metadefender-core', ...keys[0]!, status: 'expired', days_left: -1 },
      { instance: 'core', vendor: 'metadefender-core', ...keys[1]!, status: 'expired', days_left: -1 },
      { instance: 'core', vendor: 'metadefender-core', ...keys[2]!, status: 'active', days_left: null },
    ]);
  });

  it('are refused when the columns do not fit together', () => {
    const stored = packColumns(columnsOf('v', 'metadefender-vault', [{ owner: 'a', key_id: '1', description: 'x', expires: '', status: 'active' }]));
    expect(unpackColumns('v', 'metadefender-vault', stored)).toBeDefined();
    for (const broken of [{ ...stored, count: 2 }, { ...stored, owner: 'a\nb' }, { ...stored, expired: '2' }, { ...stored, count: 0 }])
      expect(unpackColumns('v', 'metadefender-vault', broken)).toBeUndefined();
  });
});
