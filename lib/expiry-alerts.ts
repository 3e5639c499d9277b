import { keyIdentity, type KeyIdentity } from './changes';
import { olderThan } from './owners';

/**
 * docs/contract.md#ahead-of-expiry: days before expiry at which a key is announced, and whether expired
 * keys are; and the rotation policy, whose age a key is announced at once, like a threshold.
 */
export interface Thresholds {
  days: number[];
  expired: boolean;
  /** Keys older than this many days are announced once as due for rotation (docs/owners.md). */
  maxKeyAgeDays?: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = { days: [30, 7, 1], expired: true };

/** A threshold a key crossed: 'expired', the days of a threshold, or 'rotate' (older than the rotation policy). */
export type Level = 'expired' | number | 'rotate';

export interface AlertKey extends KeyIdentity {
  description: string;
  status: 'active' | 'expired';
  days_left: number | null;
  /** Whole days since the key was made; null or absent when unknown. */
  age_days?: number | null;
}

export interface KeyAlert<K extends AlertKey = AlertKey> {
  key: K;
  level: Level;
}

/**
 * What was announced, remembered across restarts: per key, the expiry it had and the levels
 * already announced for that expiry; and the instances announced as failed.
 */
export interface Announced {
  keys: Record<string, { expires: string; levels: Level[] }>;
  failed: string[];
}

export const NOTHING_ANNOUNCED: Announced = { keys: {}, failed: [] };

export interface AlertInput<K extends AlertKey> {
  /** Every cached key of the instances considered in this round (other instances' memory is kept). */
  keys: readonly K[];
  /** The instances considered: read successfully this round, not parked. */
  instances: readonly string[];
  /** Instances whose last read failed (announced once until they succeed again). */
  failed: readonly string[];
  thresholds: Thresholds;
  announced: Announced;
}

export interface AlertPlan<K extends AlertKey> {
  alerts: KeyAlert<K>[];
  newlyFailed: string[];
  announced: Announced;
}

/** The most urgent expiry level a key has reached, if any: expired, else the smallest threshold at or above its days left. */
export function levelOf(key: Pick<AlertKey, 'status' | 'days_left'>, thresholds: Thresholds): Exclude<Level, 'rotate'> | undefined {
  if (key.status === 'expired') return thresholds.expired ? 'expired' : undefined;
  if (key.days_left === null) return undefined;
  const reached = thresholds.days.filter((days) => key.days_left! <= days);
  return reached.length ? Math.min(...reached) : undefined;
}

/** Levels at or above `level` in urgency order: a key first seen 5 days out must not later be announced at 30. */
function levelsUpTo(level: Exclude<Level, 'rotate'>, thresholds: Thresholds): Level[] {
  if (level === 'expired') return [...thresholds.days, 'expired'];
  return thresholds.days.filter((days) => days >= level);
}

/**
 * Which keys to announce now, given what was announced before: each key once per threshold; a
 * key whose expiry changed (renewed) starts afresh; keys gone from an instance are forgotten.
 */
export function planAlerts<K extends AlertKey>({ keys, instances, failed, thresholds, announced }: AlertInput<K>): AlertPlan<K> {
  const considered = new Set(instances);
  const next: Announced['keys'] = {};
  const present = new Set<string>();
  const alerts: KeyAlert<K>[] = [];
  for (const key of keys) {
    if (!considered.has(key.instance)) continue;
    const id = keyIdentity(key);
    present.add(id);
    const before = announced.keys[id];
    const done = before && before.expires === key.expires ? before.levels : [];
    const levels = new Set(done);
    const level = levelOf(key, thresholds);
    if (level !== undefined && !levels.has(level)) {
      alerts.push({ key, level });
      for (const reached of levelsUpTo(level, thresholds)) levels.add(reached);
    }
    // Past the rotation age: announced once, whatever its expiry does.
    if (!levels.has('rotate') && olderThan(key.age_days ?? null, thresholds.maxKeyAgeDays)) {
      alerts.push({ key, level: 'rotate' });
      levels.add('rotate');
    }
    if (levels.size) next[id] = { expires: key.expires, levels: [...levels] };
  }
  // Keys of instances not considered this round (failed, parked, not refreshed) keep their memory.
  for (const [id, entry] of Object.entries(announced.keys)) {
    if (present.has(id) || next[id]) continue;
    const instance = id.slice(0, id.indexOf('\u0000'));
    if (!considered.has(instance)) next[id] = entry;
  }
  const newlyFailed = failed.filter((name) => !announced.failed.includes(name));
  // An instance that reads again is forgotten as failed, so its next failure is announced.
  const stillFailed = announced.failed.filter((name) => failed.includes(name));
  alerts.sort((a, b) => urgency(a.level) - urgency(b.level) || (a.key.days_left ?? 0) - (b.key.days_left ?? 0));
  return { alerts, newlyFailed, announced: { keys: next, failed: [...stillFailed, ...newlyFailed] } };
}

/** Expired first, then the nearest thresholds; due rotation last (the key still works). */
function urgency(level: Level): number {
  return level === 'expired' ? -1 : level === 'rotate' ? Infinity : level;
}
