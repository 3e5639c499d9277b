import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS, levelOf, NOTHING_ANNOUNCED, planAlerts, type Announced, type AlertKey } from './expiry-alerts';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-29T12:00:00.000Z');

function key(key_id: string, days: number | null, expires = days === null ? '' : new Date(NOW + (days + 0.5) * DAY).toISOString(), instance = 'vault-hq'): AlertKey {
  return { instance, key_id, owner: 'alice', description: `key ${key_id}`, expires, days_left: days, status: days !== null && days < 0 ? 'expired' : 'active' };
}

/** One refresh: the plan, then the memory serialized the way storage.local keeps it (a restart in between). */
function round(keys: AlertKey[], announced: Announced, { instances = ['vault-hq'], failed = [] as string[], thresholds = DEFAULT_THRESHOLDS } = {}) {
  const plan = planAlerts({ keys, instances, failed, thresholds, announced });
  return { ...plan, announced: JSON.parse(JSON.stringify(plan.announced)) as Announced };
}

describe('levelOf', () => {
  it.each([
    [45, undefined],
    [30, 30],
    [8, 30],
    [7, 7],
    [1, 1],
    [0, 1],
    [-1, 'expired'],
    [null, undefined],
  ] as const)('%s days left → %s', (days, level) => {
    expect(levelOf(key('1', days), DEFAULT_THRESHOLDS)).toBe(level);
  });

  it('follows edited thresholds, and leaves expired keys alone when that level is off', () => {
    expect(levelOf(key('1', 12), { days: [14, 3], expired: true })).toBe(14);
    expect(levelOf(key('1', -3), { days: [14, 3], expired: false })).toBeUndefined();
  });
});

describe('planAlerts: the rotation policy', () => {
  const old = (key_id: string, days: number | null, age: number | null): AlertKey => ({ ...key(key_id, days), age_days: age });
  const policy = { ...DEFAULT_THRESHOLDS, maxKeyAgeDays: 365 };

  it('announces a key older than the policy once, beside its expiry levels, most urgent first', () => {
    const first = round([old('a', 5, 400), old('b', null, 366), old('c', null, 365), old('d', 90, null)], NOTHING_ANNOUNCED, { thresholds: policy });
    expect(first.alerts.map((a) => [a.key.key_id, a.level])).toEqual([['a', 7], ['b', 'rotate'], ['a', 'rotate']]);
    const again = round([old('a', 5, 401), old('b', null, 367)], first.announced, { thresholds: policy });
    expect(again.alerts).toEqual([]);
    // Its expiry levels go on as before (same expiry: the same key, nearer).
    expect(round([{ ...old('a', 0, 405), expires: old('a', 5, 400).expires }], first.announced, { thresholds: policy }).alerts.map((a) => a.level)).toEqual([1]);
  });

  it('without a policy, age announces nothing', () => {
    expect(round([old('a', null, 5000)], NOTHING_ANNOUNCED).alerts).toEqual([]);
  });
});

describe('planAlerts', () => {
  it('announces each key once per threshold, across restarts', () => {
    let memory = NOTHING_ANNOUNCED;
    const [aExpires, bExpires] = [key('a', 20).expires, key('b', 60).expires];
    const first = round([key('a', 20), key('b', 60)], memory);
    expect(first.alerts.map((a) => [a.key.key_id, a.level])).toEqual([['a', 30]]);
    memory = first.announced;
    expect(round([key('a', 20), key('b', 60)], memory).alerts).toEqual([]);
    const later = round([key('a', 6, aExpires), key('b', 29, bExpires)], memory);
    expect(later.alerts.map((a) => [a.key.key_id, a.level])).toEqual([['a', 7], ['b', 30]]);
    memory = later.announced;
    expect(round([key('a', 5, aExpires), key('b', 28, bExpires)], memory).alerts).toEqual([]);
  });

  it('a key first seen close to expiry is announced at its most urgent level only, never later at a wider one', () => {
    const first = round([key('a', 3)], NOTHING_ANNOUNCED);
    expect(first.alerts.map((a) => a.level)).toEqual([7]);
    expect(round([key('a', 3)], first.announced).alerts).toEqual([]);
    expect(round([key('a', -1, key('a', 3).expires)], first.announced).alerts.map((a) => a.level)).toEqual(['expired']);
  });

  it('a renewed key (later expiry) is announced again when it crosses a threshold again', () => {
    const first = round([key('a', 5)], NOTHING_ANNOUNCED);
    const renewed = round([key('a', 300)], first.announced);
    expect(renewed.alerts).toEqual([]);
    const again = round([key('a', 25, key('a', 300).expires)], renewed.announced);
    expect(again.alerts.map((a) => a.level)).toEqual([30]);
  });

  it('forgets removed keys of a considered instance, keeps the memory of instances not considered', () => {
    const first = round([key('a', 5), key('x', 5, undefined, 'core')], NOTHING_ANNOUNCED, { instances: ['vault-hq', 'core'] });
    const next = round([], first.announced, { instances: ['vault-hq'] });
    expect(Object.keys(next.announced.keys)).toHaveLength(1);
    expect(round([key('x', 5, key('x', 5, undefined, 'core').expires, 'core')], next.announced, { instances: ['core'] }).alerts).toEqual([]);
  });

  it('announces only considered instances (a parked or locked-out one is left out by the caller)', () => {
    expect(round([key('a', 5, undefined, 'parked')], NOTHING_ANNOUNCED).alerts).toEqual([]);
  });

  it('a failed instance is announced once, and again only after it read successfully in between', () => {
    const first = round([], NOTHING_ANNOUNCED, { instances: [], failed: ['mdss'] });
    expect(first.newlyFailed).toEqual(['mdss']);
    const second = round([], first.announced, { instances: [], failed: ['mdss'] });
    expect(second.newlyFailed).toEqual([]);
    const healed = round([], second.announced, { instances: ['mdss'], failed: [] });
    expect(round([], healed.announced, { instances: [], failed: ['mdss'] }).newlyFailed).toEqual(['mdss']);
  });

  it('puts the most urgent first', () => {
    const plan = round([key('later', 25), key('gone', -2), key('soon', 2)], NOTHING_ANNOUNCED);
    expect(plan.alerts.map((a) => a.key.key_id)).toEqual(['gone', 'soon', 'later']);
  });
});
