import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, resolveSecrets, type ResolvedInstance } from '../../lib/config';
import { runInventory } from '../../lib/inventory';
import { runCli } from '../cli/run-cli';
import { FLEET_VENDORS, startMockFleet, type FleetVendorId, type MockFleet } from '../mock-vendors/index';
import { CORE_ADMIN_USER, CORE_NONADMIN_KEY } from '../mock-vendors/metadefender-core';
import { STORAGE_ADMIN_USER } from '../mock-vendors/metadefender-storage';
import { startVaultMock, VAULT_ADMIN_KEY } from '../mock-vendors/metadefender-vault';
import type { MockServer } from '../mock-vendors/server';
import { NOW, readRecordingWaits, tempDir, writeJson } from './helpers';

/**
 * Lockout safety: a refused credential is sent once per run and never again, whatever the vendor
 * (docs/contract.md#metadefender-cloud: MetaDefender Cloud blocks the caller's IP for an hour after repeated wrong keys).
 */

/** Each vendor's own refusal bodies (seeds 000–004). */
const REFUSALS: Record<FleetVendorId, Record<401 | 403, unknown>> = {
  'metadefender-core': { 401: { err: 'Invalid apikey' }, 403: { err: 'Access denied' } },
  'metadefender-storage': { 401: { message: 'Invalid username or password.' }, 403: { title: 'Forbidden', status: 403, detail: 'You do not have permission.' } },
  'cortex-xsoar': {
    401: { reply: { err_code: 401, err_msg: 'Public API request unauthorized', err_extra: null } },
    403: { reply: { err_code: 403, err_msg: 'Forbidden', err_extra: 'missing role' } },
  },
  'metadefender-vault': { 401: { err: 'Invalid parameter' }, 403: { err: 'API key is incorrect' } },
  'metadefender-cloud': { 401: { error: { code: 401006, messages: 'Invalid apikey' } }, 403: { error: { code: 403004, messages: ['Access to this resource is forbidden'] } } },
};

let fleet: MockFleet;
let instances: ResolvedInstance[];
let dir: string;

beforeAll(async () => {
  fleet = await startMockFleet({ now: NOW });
  instances = resolveSecrets(parseConfig(fleet.config), {});
  dir = tempDir();
});
afterAll(() => fleet.close());
afterEach(() => {
  for (const server of Object.values(fleet.servers)) {
    server.clearFaults();
    server.resetStats();
  }
});

const instanceOf = (vendor: FleetVendorId) => instances.find((i) => i.vendor === vendor)!;
const requestCounts = () => Object.fromEntries(FLEET_VENDORS.map((v) => [v, fleet.servers[v].requests.length]));

describe.each([401, 403] as const)('HTTP %i', (status) => {
  it.each(FLEET_VENDORS)('%s: runInventory sends it once, waits for nothing, and says it was refused', async (vendor) => {
    fleet.servers[vendor].fault({ kind: 'status', status, json: REFUSALS[vendor][status] });
    const { result, records, waits } = await readRecordingWaits(instanceOf(vendor));
    expect(result.error).toMatchObject({ kind: 'auth', message: expect.stringContaining(`was refused (HTTP ${status})`) });
    expect(records).toEqual([]);
    expect(fleet.servers[vendor].requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('the CLI sends it once to every vendor in one run, and exits 1', async () => {
    for (const vendor of FLEET_VENDORS) fleet.servers[vendor].fault({ kind: 'status', status, json: REFUSALS[vendor][status] });
    const run = await runCli(['summary', '--config', writeJson(dir, `refused-${status}.json`, fleet.config), '--json']);
    expect(run.code).toBe(1);
    for (const inst of instances) expect(run.stderr).toContain(`error: ${inst.name} (${inst.vendor}): `);
    expect(run.stderr.match(new RegExp(`was refused \\(HTTP ${status}\\)`, 'g'))).toHaveLength(FLEET_VENDORS.length);
    expect(requestCounts()).toEqual(Object.fromEntries(FLEET_VENDORS.map((v) => [v, 1])));
  });
});

describe('real wrong credentials against the mocks', () => {
  const UNKNOWN_CLOUD_KEY = 'CLOUD-UNKNOWN-APIKEY-0123456789abcdef0123456789abcdef';
  const cases: [string, FleetVendorId, Partial<ResolvedInstance>, RegExp][] = [
    ['Core: an unknown key', 'metadefender-core', { apiKey: 'CORE-WRONG-APIKEY-00000000000000000000' }, /GET \/admin\/user was refused \(HTTP 401\): "Invalid apikey"/],
    ['Core: a key without admin rights', 'metadefender-core', { apiKey: CORE_NONADMIN_KEY }, /GET \/admin\/user was refused \(HTTP 403\): "Access denied"/],
    ['Core: a wrong password', 'metadefender-core', { apiKey: undefined, username: CORE_ADMIN_USER, password: 'CORE-WRONG-PASSWORD-000' }, /POST \/login was refused \(HTTP 403\): "Failed to login"/],
    ['MDSS: a wrong password', 'metadefender-storage', { username: STORAGE_ADMIN_USER, password: 'MDSS-WRONG-PASSWORD-000' }, /POST \/api\/user\/authenticate was refused \(HTTP 401\)/],
    ['XSOAR: a wrong key', 'cortex-xsoar', { apiKey: 'XSOAR-WRONG-APIKEY-000000000000000000000000' }, /was refused \(HTTP 401\): "Public API request unauthorized"/],
    ['XSOAR: an unknown key id', 'cortex-xsoar', { apiKeyId: '999999' }, /was refused \(HTTP 401\): "Public API request unauthorized \(missing or unknown x-xdr-auth-id\)"/],
    ['Vault: a wrong key', 'metadefender-vault', { apiKey: 'VAULT-WRONG-APIKEY-00000000' }, /was refused \(HTTP 403\): "API key is incorrect"/],
    // docs/contract.md#metadefender-cloud: an unknown Cloud key is a 404 with code 404008, and repeating it gets the IP blocked.
    ['Cloud: an unknown key (404008)', 'metadefender-cloud', { apiKey: UNKNOWN_CLOUD_KEY }, /was refused \(HTTP 404\): "The apikey was not found \(code 404008\)"/],
  ];

  it.each(cases)('%s: one request, no wait, an auth error', async (_, vendor, fields, text) => {
    const { result, waits } = await readRecordingWaits({ ...instanceOf(vendor), ...fields });
    expect(result.error?.kind).toBe('auth');
    expect(result.error!.message).toMatch(text);
    expect(fleet.servers[vendor].requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('the CLI sends every wrong credential once, all in one run', async () => {
    const config = {
      instances: cases.map(([, vendor, fields], i) => {
        const { sessionToken: _, ...inst } = { ...instanceOf(vendor), ...fields, name: `wrong-${i}` };
        return Object.fromEntries(Object.entries(inst).filter(([, v]) => v !== undefined));
      }),
    };
    const run = await runCli(['export', '--config', writeJson(dir, 'wrong.json', config), '--out', '-', '--quiet']);
    expect(run.code).toBe(1);
    expect(run.stderr.match(/was refused \(HTTP 40[134]\)/g)).toHaveLength(cases.length);
    const sent = (vendor: FleetVendorId) => cases.filter(([, v]) => v === vendor).length;
    expect(requestCounts()).toEqual(Object.fromEntries(FLEET_VENDORS.map((v) => [v, sent(v)])));
  });
});

describe('a key revoked while Vault pages are read concurrently', () => {
  let server: MockServer;
  afterAll(() => server.close());

  it('stops asking: no page is asked twice, and no more refusals than pages already in flight', async () => {
    server = await startVaultMock({ now: NOW, generate: 1000, maxCount: 50 });
    server.fault({ kind: 'status', status: 401, json: { err: 'Token revoked' } }, { path: /\/tokens\/[1-9]\d*\// });
    const waits: number[] = [];
    const { records, results } = await runInventory([{ name: 'vault', vendor: 'metadefender-vault', url: server.url, apiKey: VAULT_ADMIN_KEY }], {
      now: NOW,
      pagePool: 6,
      http: { sleep: async (ms) => void waits.push(ms) },
    });
    expect(results[0]!.error).toMatchObject({ kind: 'auth', message: expect.stringContaining('"Token revoked"') });
    expect(records).toHaveLength(50);
    const refused = server.requests.slice(1).map((r) => r.path);
    expect(new Set(refused).size).toBe(refused.length);
    expect(refused.length).toBeLessThanOrEqual(6);
    expect(waits).toEqual([]);
  });
});
