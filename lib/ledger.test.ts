import { describe, expect, it } from 'vitest';
import { Ledger } from './ledger';
import type { RecordFields } from './record';

const key = (key_id: string, key = `secret-${key_id}`): RecordFields => ({
  instance: 'i',
  vendor: 'metadefender-vault',
  owner: '',
  directory: '',
  key_id,
  key,
  description: '',
  roles: [],
  created: '',
  expires: '',
});

const reading = () => {
  const rows: RecordFields[] = [];
  return { rows, ledger: new Ledger((record) => rows.push(record)) };
};

describe('Ledger: every key once, each list counted on its own', () => {
  it('gives a key that two lists both hold one row, and each list its own count', () => {
    const { rows, ledger } = reading();
    const all = ledger.list('all');
    expect(all.page([key('1'), key('2')], [])).toBe(2);
    const expired = ledger.list('expired');
    expect(expired.page([key('2'), key('3')], [])).toBe(2);
    expect(rows.map((r) => r.key_id)).toEqual(['1', '2', '3']);
    const summary = ledger.toJSON(2);
    expect(summary).toMatchObject({ itemsSeen: 4, distinctKeys: 3, repeatedIds: 1 });
    expect(summary.lists.map((l) => [l.name, l.distinct])).toEqual([['all', 2], ['expired', 2]]);
  });

  it('does not give a list read again its keys twice, and counts the new read afresh', () => {
    const { rows, ledger } = reading();
    const list = ledger.list('tokens');
    list.page([key('1'), key('2')], []);
    list.restart();
    expect(list.page([key('1'), key('2'), key('3')], [])).toBe(3);
    expect(rows.map((r) => r.key_id)).toEqual(['1', '2', '3']);
    expect(ledger.toJSON(2)).toMatchObject({ distinctKeys: 3, repeatedIds: 2, lists: [{ passes: 2, distinct: 3 }] });
  });

  it('collapses an id repeated in one read, keeps two secrets under one id, and never merges keys without an id', () => {
    const { rows, ledger } = reading();
    const list = ledger.list('tokens');
    expect(list.page([key('1'), key('1'), key('1', 'other secret'), key(''), key('')], [])).toBe(4);
    expect(rows.map((r) => [r.key_id, r.key])).toEqual([['1', 'secret-1'], ['1', 'other secret'], ['', 'secret-'], ['', 'secret-']]);
    expect(ledger.toJSON(1)).toMatchObject({ itemsSeen: 5, distinctKeys: 4, repeatedIds: 1, lists: [{ distinct: 4 }] });
  });

  it('knows a single reply’s key in a list read after it, and a list’s key in a single reply after it', () => {
    const { rows, ledger } = reading();
    expect(ledger.emit(key('1'))).toBe(true);
    expect(ledger.list('tokens').page([key('1'), key('2')], [])).toBe(2);
    expect(ledger.emit(key('2'))).toBe(false);
    expect(rows.map((r) => r.key_id)).toEqual(['1', '2']);
    expect(ledger.toJSON(3)).toMatchObject({ distinctKeys: 2, repeatedIds: 2 });
  });
});
