import type { InstanceStatus, InstanceView, KeyMeta, KeysView, PopupState } from '../../lib/messages';
import { COVERAGE } from '../../lib/coverage';
import { bucketize, finishRecord, type KeyRecord } from '../../lib/record';
import type { VendorId } from '../../lib/vendors';
import { overview, selectKeys, type KeyFilter } from '../../ext/background/key-view';
import { columnsOf, packColumns, unpackColumns, type KeyColumns } from '../../ext/key-columns';

const DAY = 86_400_000;

/** Five instances, one per vendor, shaped like the example configuration in docs/contract.md#configuration. */
export const INSTANCES: { name: string; vendor: VendorId; url: string }[] = [
  { name: 'core-prod', vendor: 'metadefender-core', url: 'https://core.example:8008' },
  { name: 'mdss', vendor: 'metadefender-storage', url: 'https://mdss.example' },
  { name: 'xsoar', vendor: 'cortex-xsoar', url: 'https://api-tenant.example' },
  { name: 'vault', vendor: 'metadefender-vault', url: 'https://vault.example:8010' },
  { name: 'cloud', vendor: 'metadefender-cloud', url: 'https://api.metadefender.com' },
];

/** The failing instance: XSOAR without a license answers 402 (docs/contract.md#cortex-xsoar-xsiam-and-xdr). */
export const FAILING = 'xsoar';
export const FAILING_ERROR = 'cortex-xsoar instance "xsoar": HTTP 402: the tenant has no license for the public API';

const OWNERS: Record<VendorId, string[]> = {
  'metadefender-core': ['LOCAL\\admin', 'CORP\\j.doe', '7\\svc-scan'],
  'metadefender-storage': ['admin'],
  'cortex-xsoar': ['Public API - 21', 'soc.lead@tenant.example'],
  'metadefender-vault': ['alice'],
  'metadefender-cloud': ['Acme SOC'],
  'cortex-xsiam': ['soc.lead@tenant.example'],
  'cortex-xdr': ['ops@xdr.example'],
};

/** One key the way the background derives it: `finishRecord` turns an expiry into status and days_left. */
export function keyMeta(
  fields: {
    instance: string;
    vendor: VendorId;
    owner: string;
    key_id: string;
    description?: string;
    expiresInDays: number | null;
    vendorSaysExpired?: boolean;
    /** Days since the key was made; unknown when absent. */
    ageDays?: number;
    owner_state?: KeyRecord['owner_state'];
    owner_last_login?: string;
  },
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
      created: fields.ageDays === undefined ? '' : new Date(now - fields.ageDays * DAY).toISOString(),
      expires,
      vendorSaysExpired: fields.vendorSaysExpired,
    },
    new Date(now),
  );
  const { instance, vendor, owner, key_id, description, status, days_left, age_days } = record;
  const meta: KeyMeta = {
    instance,
    vendor,
    owner,
    key_id,
    description,
    status,
    expires: record.expires,
    days_left,
    owner_state: fields.owner_state ?? '',
    owner_last_login: fields.owner_last_login ?? '',
    age_days,
  };
  createdOf.set(meta, record.created);
  return meta;
}

/** The creation date behind each fixture key's age: the background keeps it to age keys again, the popup never sees it. */
const createdOf = new WeakMap<KeyMeta, string>();

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

/**
 * The keys as a worker holds them: one set of columns per instance, in first-seen order, decoded
 * from their stored form as after a read of storage.
 */
export function keyColumns(keys: readonly KeyMeta[]): KeyColumns[] {
  const byInstance = new Map<string, KeyMeta[]>();
  for (const k of keys) {
    const list = byInstance.get(k.instance);
    if (list) list.push(k);
    else byInstance.set(k.instance, [k]);
  }
  return [...byInstance].map(([instance, list]) => {
    const sources = list.map((k) => ({ ...k, created: createdOf.get(k) ?? '' }));
    return unpackColumns(instance, list[0]!.vendor, packColumns(columnsOf(instance, list[0]!.vendor, sources)))!;
  });
}

/** The background's answer to `keys:view` over these keys (ext/background/key-view.ts). */
export function keysViewOf(keys: readonly KeyMeta[], filter: KeyFilter, now = Date.now()): KeysView {
  return selectKeys(keyColumns(keys), filter, now);
}

/** The state the background would report for these keys, counted and picked by the background's own code. */
export function popupState(keys: KeyMeta[], overrides: Partial<PopupState> = {}, now = Date.now()): PopupState {
  return stateOf(keyColumns(keys), overrides, now);
}

/** popupState over keys already in the background's columns. */
export function stateOf(columns: readonly KeyColumns[], overrides: Partial<PopupState> = {}, now = Date.now()): PopupState {
  const { maxKeyAgeDays } = overrides;
  const { totals, byInstance, orphaned, rotate, timeline, first } = overview(columns, now, { maxKeyAgeDays });
  const instances: InstanceStatus[] = INSTANCES.map((inst, i) => {
    const failing = inst.name === FAILING;
    return {
      ...inst,
      lastRefresh: new Date(now - (i + 1) * 5 * 60_000).toISOString(),
      ok: !failing,
      ...(failing ? { error: FAILING_ERROR } : {}),
      // Every instance here has saved credentials (instanceViews), a password login included.
      credential: 'apiKey',
      coverage: COVERAGE[inst.vendor],
      buckets: byInstance.get(inst.name) ?? bucketize([]),
      ...(orphaned.get(inst.name) ? { orphaned: orphaned.get(inst.name) } : {}),
    };
  });
  return { locked: false, hasPassphrase: false, instances, totals, keys: first, timeline, refreshing: null, ...(maxKeyAgeDays ? { rotate } : {}), ...overrides };
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
