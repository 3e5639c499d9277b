import type { InstanceStatus, InstanceView, KeyMeta, PopupState } from '../../lib/messages';
import { bucketize, finishRecord } from '../../lib/record';
import type { VendorId } from '../../lib/vendors';

const DAY = 86_400_000;

/** Five instances, one per vendor, shaped like SPEC §3's example config. */
export const INSTANCES: { name: string; vendor: VendorId; url: string }[] = [
  { name: 'core-prod', vendor: 'metadefender-core', url: 'https://core.example:8008' },
  { name: 'mdss', vendor: 'metadefender-storage', url: 'https://mdss.example' },
  { name: 'xsoar', vendor: 'cortex-xsoar', url: 'https://api-tenant.example' },
  { name: 'vault', vendor: 'metadefender-vault', url: 'https://vault.example:8010' },
  { name: 'cloud', vendor: 'metadefender-cloud', url: 'https://api.metadefender.com' },
];

/** The failing instance: XSOAR without a license answers 402 (seed 002). */
export const FAILING = 'xsoar';
export const FAILING_ERROR = 'cortex-xsoar instance "xsoar": HTTP 402: the tenant has no license for the public API';

const OWNERS: Record<VendorId, string[]> = {
  'metadefender-core': ['LOCAL\\admin', 'CORP\\j.doe', '7\\svc-scan'],
  'metadefender-storage': ['admin'],
  'cortex-xsoar': ['Public API - 21', 'soc.lead@tenant.example'],
  'metadefender-vault': ['alice'],
  'metadefender-cloud': ['Acme SOC'],
};

/** One key the way the background derives it: `finishRecord` turns an expiry into status and days_left. */
export function keyMeta(
  fields: { instance: string; vendor: VendorId; owner: string; key_id: string; description?: string; expiresInDays: number | null; vendorSaysExpired?: boolean },
  now = Date.now(),
): KeyMeta {
  const expires = fields.expiresInDays === null ? '' : new Date(now + fields.expiresInDays * DAY).toISOString();
  const record = finishRecord(
    {
      instance: fields.instance,
      vendor: fields.vendor,
      owner: fields.owner,
      directory: '',
      key_id: fields.key_id,
      key: '',
      description: fields.description ?? '',
      roles: [],
      created: '',
      expires,
      vendorSaysExpired: fields.vendorSaysExpired,
    },
    new Date(now),
  );
  const { instance, vendor, owner, key_id, description, status, days_left } = record;
  return { instance, vendor, owner, key_id, description, status, expires: record.expires, days_left };
}

/**
 * `count` keys spread over the working instances: expiries from 40 days ago to a year ahead (half
 * a day off whole days, so day counts are unambiguous), every tenth never expiring. Deterministic.
 */
export function manyKeys(count: number, now = Date.now()): KeyMeta[] {
  const working = INSTANCES.filter((inst) => inst.name !== FAILING);
  const keys: KeyMeta[] = [];
  for (let i = 0; i < count; i++) {
    const inst = working[i % working.length]!;
    const owners = OWNERS[inst.vendor];
    keys.push(
      keyMeta(
        {
          instance: inst.name,
          vendor: inst.vendor,
          owner: owners[i % owners.length]!,
          key_id: String(1000 + i),
          description: `key ${i}`,
          expiresInDays: i % 10 === 9 ? null : ((i * 37) % 405) - 40 + 0.5,
        },
        now,
      ),
    );
  }
  return keys;
}

/** The state the background would report for these keys: per-instance and total buckets from lib/record. */
export function popupState(keys: KeyMeta[], overrides: Partial<PopupState> = {}, now = Date.now()): PopupState {
  const instances: InstanceStatus[] = INSTANCES.map((inst, i) => {
    const failing = inst.name === FAILING;
    return {
      ...inst,
      lastRefresh: new Date(now - (i + 1) * 5 * 60_000).toISOString(),
      ok: !failing,
      ...(failing ? { error: FAILING_ERROR } : {}),
      // Every instance here has saved credentials (instanceViews), a password login included.
      credential: 'apiKey',
      buckets: bucketize(keys.filter((key) => key.instance === inst.name)),
    };
  });
  return { locked: false, hasPassphrase: false, instances, totals: bucketize(keys), keys, refreshing: null, ...overrides };
}

/** The options page's view of the same instances: secrets only as "is set". */
export function instanceViews(): InstanceView[] {
  return INSTANCES.map((inst): InstanceView => {
    switch (inst.vendor) {
      case 'metadefender-storage':
        return { ...inst, username: 'admin', has: { apiKey: false, password: true } };
      case 'cortex-xsoar':
        return { ...inst, apiKeyId: '2841', securityLevel: 'advanced', has: { apiKey: true, password: false } };
      case 'metadefender-vault':
        return { ...inst, username: 'alice', has: { apiKey: true, password: false } };
      default:
        return { ...inst, has: { apiKey: true, password: false } };
    }
  });
}
