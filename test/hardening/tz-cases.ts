/** Dates for the time-zone probe: shared by the child (tz-probe.ts) and the test that checks it. */

const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** UTC instants where a local clock jumps: New York spring/fall 2026, Chatham (UTC+12:45/+13:45) April/September 2026. */
export const DST_INSTANTS = [
  Date.parse('2026-03-08T07:00:00Z'),
  Date.parse('2026-11-01T06:00:00Z'),
  Date.parse('2026-04-04T14:00:00Z'),
  Date.parse('2026-09-26T14:00:00Z'),
];

/** Half an hour before New York springs forward. */
export const PROBE_NOW = '2026-03-08T06:30:00.000Z';

/** [expires, now] pairs around every clock jump, a few days either side, a millisecond either side. */
export function expiryPairs(): [string, string][] {
  const pairs: [string, string][] = [];
  for (const jump of DST_INSTANTS)
    for (const now of [jump - HOUR, jump - 1, jump, jump + HOUR])
      for (const days of [-2, -1, 0, 1, 7, 8, 30, 31])
        for (const delta of [-1, 0, 1, HOUR]) pairs.push([new Date(now + days * DAY + delta).toISOString(), new Date(now).toISOString()]);
  return pairs;
}

/** Vendor date text → the UTC instant it names (docs/contract.md#metadefender-vault: no offset means UTC; 7 fractional digits). */
export const VENDOR_DATE_CASES: [string, string][] = [
  ['2026-03-08T02:30:00', '2026-03-08T02:30:00.000Z'], // inside New York's missing hour
  ['2026-11-01T01:30:00.1234567', '2026-11-01T01:30:00.123Z'], // New York's repeated hour
  ['2026-04-05T03:30:00', '2026-04-05T03:30:00.000Z'], // Chatham's repeated hour
  ['2026-09-27 03:00', '2026-09-27T03:00:00.000Z'], // Chatham's missing hour
  ['9999-12-31T23:59:59.9999999Z', '9999-12-31T23:59:59.999Z'],
  ['1970-01-01T00:00:00.0000000Z', '1970-01-01T00:00:00.000Z'],
  ['2026-03-08T02:30:00+05:45', '2026-03-07T20:45:00.000Z'],
  ['2026-03-08T02:30:00-0500', '2026-03-08T07:30:00.000Z'],
];
export const PROBE_VENDOR_DATES = VENDOR_DATE_CASES.map(([text]) => text);

/** docs/contract.md#cortex-xsoar-xsiam-and-xdr: null, 0 and negative mean never; 1 is a millisecond after the epoch; 8.64e15 is the last Date. */
export const PROBE_XSOAR_EXPIRATIONS: (number | null)[] = [null, 0, -1, -1709544947832, 1, ...DST_INSTANTS, Date.parse(PROBE_NOW) + 7 * DAY, 8.64e15];

export const PROBE_VAULT_DATES = [
  '9999-12-31T23:59:59.9999999Z',
  '2026-03-08T02:30:00.0000000',
  '2026-03-08T07:00:00.0000000Z',
  '2026-03-15T06:30:00.0000001Z',
  '2015-07-02T12:00:00.0000000Z',
];

/** docs/contract.md#metadefender-cloud: 1970-01-01 = a free key that never expires, however it is written. */
export const PROBE_CLOUD_NEVER = ['1970-01-01T00:00:00.000Z', '1970-01-01T00:00:00Z', '1970-01-01T00:00:00.0000000Z'];
export const PROBE_CLOUD_EXPIRATIONS = [...PROBE_CLOUD_NEVER, '2026-03-09T06:30:00.000Z', '2026-11-01T06:00:00.000Z'];
