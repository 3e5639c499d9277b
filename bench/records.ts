import { finishRecord, type KeyRecord } from '../lib/record';
import { VENDOR_IDS, type VendorId } from '../lib/vendors';

const DAY = 86_400_000;

/** Small deterministic PRNG (mulberry32): the same records on every run and machine. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const DESCRIPTIONS = [
  'CI pipeline',
  'nightly backup, "full" run',
  '=HYPERLINK("http://evil.example","open")',
  'Zoë’s reporting key – ünïcode',
  'line one\nline two',
  '',
  '+cmd|calc',
  'scanner integration 🔑',
];
const ROLE_SETS = [['Administrator'], ['User'], ['Guest'], ['Security Admin', 'Viewer'], [], ['-readonly']];
const DIRECTORIES = ['LOCAL', 'CORP', 'EMEA-AD', '7'];

/**
 * `count` KeyRecords as an export of many instances would hold them: all five vendors, unsorted
 * expiries from a year ago to two years ahead with a share never expiring, quotes, newlines,
 * formula triggers and non-ASCII text in the free-text columns, 40-character secrets.
 */
export function syntheticRecords(count: number, now = new Date(), seed = 1): KeyRecord[] {
  const next = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const records: KeyRecord[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const vendor: VendorId = pick(VENDOR_IDS);
    const directory = vendor === 'metadefender-core' ? pick(DIRECTORIES) : '';
    const user = `user${Math.floor(next() * 5000)}`;
    const neverExpires = vendor === 'metadefender-core' || vendor === 'metadefender-storage' || next() < 0.1;
    const created = new Date(now.getTime() - Math.floor(next() * 900) * DAY - Math.floor(next() * DAY));
    records[i] = finishRecord(
      {
        instance: `${vendor.replace('metadefender-', 'md-')}-${i % 40}`,
        vendor,
        owner: directory ? `${directory}\\${user}` : `${user}@corp.example`,
        directory,
        key_id: vendor === 'metadefender-cloud' ? '' : String(100_000 + i),
        key: vendor === 'cortex-xsoar' ? '' : Array.from({ length: 40 }, () => '0123456789abcdef'[Math.floor(next() * 16)]).join(''),
        description: `${pick(DESCRIPTIONS)} #${i}`,
        roles: pick(ROLE_SETS),
        created: created.toISOString(),
        expires: neverExpires ? '' : new Date(now.getTime() + Math.floor((next() * 1095 - 365) * DAY)).toISOString(),
        vendorSaysExpired: vendor === 'metadefender-vault' && next() < 0.02,
      },
      now,
    );
  }
  return records;
}
