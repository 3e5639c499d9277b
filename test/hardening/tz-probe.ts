/**
 * Run as a child process with TZ set (see expiry-time-zones.test.ts): reads edge-case dates through
 * the real adapters and mocks, and prints everything a user would see, as JSON on stdout.
 */
import { vendorDateToInstant } from '../../lib/apis/dates';
import type { ResolvedInstance } from '../../lib/config';
import { runInventory } from '../../lib/inventory';
import { bucketize, finishRecord } from '../../lib/record';
import { isoFromMs } from '../../lib/utc-date';
import { startXsoarMock, XSOAR_API_KEY, XSOAR_API_KEY_ID, type XsoarApiKey } from '../mock-vendors/cortex-xsoar';
import { startCloudMock } from '../mock-vendors/metadefender-cloud';
import { startVaultMock, VAULT_ADMIN_KEY, type VaultToken } from '../mock-vendors/metadefender-vault';
import { DST_INSTANTS, PROBE_NOW, PROBE_XSOAR_EXPIRATIONS, PROBE_CLOUD_EXPIRATIONS, PROBE_VAULT_DATES, PROBE_VENDOR_DATES, expiryPairs } from './tz-cases';

const now = new Date(PROBE_NOW);

const xsoarKeys: XsoarApiKey[] = PROBE_XSOAR_EXPIRATIONS.map((expiration, i) => ({
  id: i + 1,
  creation_time: DST_INSTANTS[i % DST_INSTANTS.length]!,
  created_by: 'probe',
  user_name: 'probe',
  roles: [],
  security_level: 'standard',
  comment: null,
  expiration,
}));
const vaultTokens: VaultToken[] = PROBE_VAULT_DATES.map((date, i) => ({
  token_id: i + 1,
  token: `VAULT-PROBE-TOKEN-${i}`,
  description: date,
  status: 'valid',
  created: date,
  expires: date,
  role: 'User',
}));
const cloudKeys = Object.fromEntries(PROBE_CLOUD_EXPIRATIONS.map((date, i) => [`CLOUD-PROBE-APIKEY-${i}`, { nickname: date, expiration_date: date, created_at: date, paid_user: 1 }]));

const [xsoar, vault, cloud] = await Promise.all([startXsoarMock({ apiKeys: xsoarKeys }), startVaultMock({ tokens: vaultTokens }), startCloudMock({ keys: cloudKeys })]);
const instances: ResolvedInstance[] = [
  { name: 'xsoar', vendor: 'cortex-xsoar', url: xsoar.url, apiKey: XSOAR_API_KEY, apiKeyId: XSOAR_API_KEY_ID },
  { name: 'vault', vendor: 'metadefender-vault', url: vault.url, apiKey: VAULT_ADMIN_KEY },
  ...Object.keys(cloudKeys).map((apiKey, i): ResolvedInstance => ({ name: `cloud-${i}`, vendor: 'metadefender-cloud', url: cloud.url, apiKey })),
];
const inventory = await runInventory(instances, { now });
await Promise.all([xsoar.close(), vault.close(), cloud.close()]);

const finished = expiryPairs().map(([expires, at]) => {
  const r = finishRecord({ instance: 'i', vendor: 'metadefender-vault', owner: '', directory: '', key_id: '', key: '', description: '', roles: [], created: '', expires }, new Date(at));
  return [r.status, r.days_left];
});

process.stdout.write(
  JSON.stringify({
    zone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    offsets: [new Date('2026-01-15T00:00:00Z').getTimezoneOffset(), new Date('2026-07-15T00:00:00Z').getTimezoneOffset()],
    result: {
      vendorDates: PROBE_VENDOR_DATES.map((text) => {
        const instant = vendorDateToInstant(text);
        return instant === undefined ? null : isoFromMs(instant);
      }),
      finished,
      errors: inventory.results.filter((r) => !r.ok).map((r) => r.error),
      records: inventory.records.map((r) => [r.instance, r.key_id, r.description, r.owner, r.created, r.expires, r.status, r.days_left]),
      buckets: bucketize(inventory.records),
    },
  }),
);
