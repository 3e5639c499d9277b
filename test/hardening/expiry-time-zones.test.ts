import { execFile } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../cli/run-cli';
import {
  DAY,
  expiryPairs,
  PROBE_CLOUD_EXPIRATIONS,
  PROBE_CLOUD_NEVER,
  PROBE_NOW,
  PROBE_VAULT_DATES,
  PROBE_XSOAR_EXPIRATIONS,
  VENDOR_DATE_CASES,
} from './tz-cases';

/**
 * Expiry maths is on UTC epoch milliseconds, so the machine's time zone must change nothing. A child
 * `node` per zone proves it end to end: real mocks, real adapters, zones with DST jumps and a
 * 45-minute offset, around the very hours where local clocks skip or repeat.
 */

const ZONES: Record<string, [january: number, july: number]> = {
  UTC: [0, 0],
  'America/New_York': [300, 240],
  'Pacific/Chatham': [-825, -765],
};

interface Probe {
  zone: string;
  offsets: [number, number];
  result: {
    vendorDates: (string | null)[];
    finished: [string, number | null][];
    errors: unknown[];
    records: [instance: string, keyId: string, description: string, owner: string, created: string, expires: string, status: string, daysLeft: number | null][];
    buckets: Record<string, number>;
  };
}

const probes: Record<string, Probe> = {};

beforeAll(async () => {
  const loader = pathToFileURL(`${ROOT}/node_modules/tsx/dist/loader.mjs`).href;
  await Promise.all(
    Object.keys(ZONES).map(async (zone) => {
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', loader, `${ROOT}/test/hardening/tz-probe.ts`], {
        env: { ...process.env, TZ: zone },
        cwd: ROOT,
      });
      probes[zone] = JSON.parse(stdout) as Probe;
    }),
  );
});

const NOW_MS = Date.parse(PROBE_NOW);
const daysLeft = (expiresMs: number, nowMs = NOW_MS) => Math.floor((expiresMs - nowMs) / DAY);

describe('expiry maths in any time zone', () => {
  it('runs each child in the zone it was given (the proof would be empty otherwise)', () => {
    for (const [zone, offsets] of Object.entries(ZONES)) expect([probes[zone]!.zone, probes[zone]!.offsets]).toEqual([zone, offsets]);
  });

  it('gives the same dates, records, days left and buckets in every zone', () => {
    const [first, ...rest] = Object.keys(ZONES);
    for (const zone of rest) expect(probes[zone]!.result, `${zone} vs ${first}`).toEqual(probes[first!]!.result);
  });

  it('reads vendor dates as UTC instants, even in an hour the local clock skips or repeats', () => {
    expect(probes.UTC!.result.vendorDates).toEqual(VENDOR_DATE_CASES.map(([, iso]) => iso));
  });

  it('counts whole days down on epoch milliseconds across every DST jump', () => {
    expect(probes['Pacific/Chatham']!.result.finished).toEqual(
      expiryPairs().map(([expires, now]) => {
        const left = Date.parse(expires) - Date.parse(now);
        return [left <= 0 ? 'expired' : 'active', daysLeft(Date.parse(expires), Date.parse(now))];
      }),
    );
  });

  it('maps XSOAR expiration null, 0 and negatives to never, and 1 past the epoch (seconds, by magnitude) to long expired', () => {
    const { records, errors } = probes['America/New_York']!.result;
    expect(errors).toEqual([]);
    const xsoar = records.filter((r) => r[0] === 'xsoar').sort((a, b) => Number(a[1]) - Number(b[1]));
    expect(xsoar.map((r) => [r[5], r[6], r[7]])).toEqual(
      PROBE_XSOAR_EXPIRATIONS.map((value) => {
        if (value === null || value <= 0) return ['', 'active', null];
        // Below 1e11 an epoch value is seconds (the year 5138 in seconds, 1973 in milliseconds).
        const ms = value < 1e11 ? value * 1000 : value;
        return [new Date(ms).toISOString(), ms <= NOW_MS ? 'expired' : 'active', daysLeft(ms)];
      }),
    );
    expect(xsoar[4]!.slice(5)).toEqual(['1970-01-01T00:00:01.000Z', 'expired', daysLeft(1000)]);
  });

  it('reads Vault’s year 9999 and 7-digit .NET fractions to the millisecond', () => {
    const vault = probes['Pacific/Chatham']!.result.records.filter((r) => r[0] === 'vault');
    expect(vault.map((r) => r[2])).toEqual(PROBE_VAULT_DATES);
    const end = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
    expect(vault[0]!.slice(4)).toEqual(['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z', 'active', daysLeft(end)]);
    // No offset means UTC (docs/contract.md#metadefender-vault), not the local 02:30 that New York never has.
    expect(vault[1]!.slice(5)).toEqual(['2026-03-08T02:30:00.000Z', 'expired', -1]);
    expect(vault[3]!.slice(5)).toEqual(['2026-03-15T06:30:00.000Z', 'active', 7]);
  });

  it('treats Cloud’s 1970-01-01 as never in any spelling, and a real date as an expiry', () => {
    const cloud = probes['America/New_York']!.result.records.filter((r) => r[0].startsWith('cloud-')).sort((a, b) => a[0].localeCompare(b[0]));
    expect(cloud.map((r) => r[3])).toEqual(PROBE_CLOUD_EXPIRATIONS);
    for (const r of cloud.slice(0, PROBE_CLOUD_NEVER.length)) expect(r.slice(5)).toEqual(['', 'active', null]);
    expect(cloud[PROBE_CLOUD_NEVER.length]!.slice(5)).toEqual(['2026-03-09T06:30:00.000Z', 'active', 1]);
    const { buckets } = probes.UTC!.result;
    expect(buckets.never).toBe(PROBE_CLOUD_NEVER.length + PROBE_XSOAR_EXPIRATIONS.filter((ms) => ms === null || ms <= 0).length);
  });
});
