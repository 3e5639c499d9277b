// The pages of a key inventory in every vendor's shape, served once by the mock consoles and kept
// in memory, so the engine can be timed on them with no network at all.
import { parseConfig, resolveSecrets, type ResolvedInstance } from '../lib/config';
import type { FetchLike } from '../lib/apis/http';
import { runInventory } from '../lib/inventory';
import type { VendorId } from '../lib/vendors';
import { startXsoarMock, XSOAR_API_KEY, XSOAR_API_KEY_ID, type XsoarApiKey } from '../test/mock-vendors/cortex-xsoar';
import { CLOUD_PAID_KEY, startCloudMock } from '../test/mock-vendors/metadefender-cloud';
import { CORE_ADMIN_KEY, CORE_DIRECTORIES, CORE_USERS, startCoreMock, type CoreUserData } from '../test/mock-vendors/metadefender-core';
import { STORAGE_ADMIN_PASSWORD, STORAGE_ADMIN_USER, startStorageMock } from '../test/mock-vendors/metadefender-storage';
import { startVaultMock, VAULT_ADMIN_KEY, VAULT_USERNAME } from '../test/mock-vendors/metadefender-vault';
import type { MockServer } from '../test/mock-vendors/server';

const DAY = 86_400_000;

/** One vendor shape of the corpus: `instances` consoles of `keysEach` keys, all answered by one mock. */
export interface CorpusPart {
  shape: string;
  vendor: VendorId;
  instances: number;
  keysEach: number;
}

/**
 * `keys` keys as a mixed fleet holds them: the paged vendors most (Vault in its API reference's snake_case
 * and in MFT's PascalCase, Cortex XSOAR in its DATA/FILTER_COUNT form, 100 a page), Core's user
 * lists of 980 users, and the one-key consoles (Storage, Cloud) one instance per key, 100 of
 * each per 100,000 keys (ten fleets of 50's worth).
 */
export function corpusParts(keys: number): CorpusPart[] {
  const share = (fraction: number, per: number) => {
    const total = Math.max(1, Math.round(keys * fraction));
    const keysEach = Math.min(per, total);
    return { instances: Math.max(1, Math.round(total / keysEach)), keysEach };
  };
  return [
    { shape: 'Vault (API reference, snake_case), 100 a page', vendor: 'metadefender-vault', ...share(0.4, 10_000) },
    { shape: 'MFT (Vault API in PascalCase), 100 a page', vendor: 'metadefender-vault', ...share(0.1, 10_000) },
    { shape: 'Cortex XSOAR (DATA / FILTER_COUNT), 100 a page', vendor: 'cortex-xsoar', ...share(0.4, 10_000) },
    { shape: 'Core (user list of 980, one reply)', vendor: 'metadefender-core', ...share(0.098, 980) },
    { shape: 'Storage Security (one key per console)', vendor: 'metadefender-storage', instances: Math.max(1, Math.round(keys * 0.001)), keysEach: 1 },
    { shape: 'Cloud (one key per console)', vendor: 'metadefender-cloud', instances: Math.max(1, Math.round(keys * 0.001)), keysEach: 1 },
  ];
}

/** `count` XSOAR keys in docs/contract.md#cortex-xsoar-xsiam-and-xdr's shape, every expiration form among them (null, 0, -1, past, future). */
export function generateXsoarKeys(count: number, now: Date): XsoarApiKey[] {
  return Array.from({ length: count }, (_, i) => {
    const expiry = i % 10 === 0 ? null : i % 10 === 1 ? 0 : i % 10 === 2 ? -1 : now.getTime() + (((i * 37) % 420) - 30) * DAY;
    return {
      id: 1000 + i,
      creation_time: now.getTime() - ((i % 300) + 1) * DAY,
      created_by: `user-${i % 97}@example.com`,
      user_name: i % 3 ? `user-${i % 97}@example.com` : `Public API - ${1000 + i}`,
      roles: i % 4 ? ['Instance Administrator'] : ['Analyst', 'Investigator'],
      security_level: i % 2 ? 'standard' : 'advanced',
      comment: i % 5 ? `generated key ${i + 1}` : null,
      expiration: expiry,
    };
  });
}

/** `count` Core users with keys in both directories and both key spellings, plus the demo admin. */
export function generateCoreUsers(count: number): CoreUserData[] {
  const admin = CORE_USERS[0]!;
  return [
    admin,
    ...Array.from({ length: count - 1 }, (_, i): CoreUserData => ({
      id: 100 + i,
      name: `user-${i}`,
      display_name: `Generated User ${i}`,
      email: `user-${i}@core.example`,
      directory_id: (i % 2) + 1,
      roles: [String((i % 3) + 1)],
      [i % 7 ? 'api_key' : 'apikey']: `CORE-GEN-APIKEY-${String(i).padStart(8, '0')}`,
    })),
  ];
}

export interface Corpus {
  parts: (CorpusPart & { instanceNames: string[] })[];
  instances: ResolvedInstance[];
  /** Each reply body the engine received, by request (method, URL, body). */
  bodies: Map<string, string>;
  keys: number;
}

const requestKey = (input: string, init: RequestInit) => `${init.method ?? 'GET'} ${input} ${typeof init.body === 'string' ? init.body : ''}`;

/** Starts one mock per shape, reads the whole corpus once through the engine, keeps every reply body, and stops the mocks. */
export async function recordCorpus(keys: number, now: Date): Promise<Corpus> {
  const parts = corpusParts(keys);
  const servers: MockServer[] = [];
  const entries: Record<string, unknown>[] = [];
  const named: Corpus['parts'] = [];
  try {
    for (const [p, part] of parts.entries()) {
      const { server, entry } = await startPart(part, now);
      servers.push(server);
      const instanceNames = Array.from({ length: part.instances }, (_, i) => `${part.vendor}-${p}-${i}`);
      for (const name of instanceNames) entries.push({ name, vendor: part.vendor, url: server.url, ...entry });
      named.push({ ...part, instanceNames });
    }
    const instances = resolveSecrets(parseConfig({ instances: entries }, 'bench corpus'), {});
    const bodies = new Map<string, string>();
    const recording: FetchLike = async (input, init) => {
      const response = await globalThis.fetch(input, init);
      const text = await response.text();
      if (!response.ok) throw new Error(`recording the corpus: ${init.method ?? 'GET'} ${input} answered HTTP ${response.status}`);
      bodies.set(requestKey(input, init), text);
      return new Response(text, { status: response.status, headers: response.headers });
    };
    const { records, results } = await runInventory(instances, { now, fetchFor: () => recording });
    const failed = results.filter((r) => !r.ok);
    if (failed.length) throw new Error(`recording the corpus failed: ${failed.map((r) => r.error?.message).join('; ')}`);
    return { parts: named, instances, bodies, keys: records.length };
  } finally {
    await Promise.all(servers.map((s) => s.close()));
  }
}

async function startPart(part: CorpusPart, now: Date): Promise<{ server: MockServer; entry: Record<string, unknown> }> {
  switch (part.vendor) {
    case 'metadefender-vault':
      return {
        server: await startVaultMock({ now, generate: part.keysEach, maxCount: 100, ...(part.shape.startsWith('MFT') ? { variant: 'pascal-case' as const } : {}) }),
        entry: { apiKey: VAULT_ADMIN_KEY, username: VAULT_USERNAME },
      };
    case 'cortex-xsoar':
    case 'cortex-xsiam':
    case 'cortex-xdr':
      return { server: await startXsoarMock({ now, apiKeys: generateXsoarKeys(part.keysEach, now), pageCap: 100 }), entry: { apiKey: XSOAR_API_KEY, apiKeyId: XSOAR_API_KEY_ID } };
    case 'metadefender-core':
      return { server: await startCoreMock({ users: generateCoreUsers(part.keysEach), directories: CORE_DIRECTORIES }), entry: { apiKey: CORE_ADMIN_KEY } };
    case 'metadefender-storage':
      return { server: await startStorageMock({ now }), entry: { username: STORAGE_ADMIN_USER, password: STORAGE_ADMIN_PASSWORD } };
    case 'metadefender-cloud':
      return { server: await startCloudMock({ now }), entry: { apiKey: CLOUD_PAID_KEY } };
  }
}

const JSON_HEADERS = new Headers({ 'content-type': 'application/json; charset=utf-8' });

/**
 * A fetch that answers every request from the recorded bodies at once, with a bare Response-like
 * reply (no stream, no UTF-8 round trip): the engine's own work is all that is left to time.
 * `served` collects each body handed out, for the JSON.parse floor of the very same replies.
 */
export function replayCorpus(bodies: ReadonlyMap<string, string>, served?: string[]): FetchLike {
  return async (input, init) => {
    const body = bodies.get(requestKey(input, init));
    if (body === undefined) throw new Error(`replay: nothing recorded for ${init.method ?? 'GET'} ${input}`);
    served?.push(body);
    return { ok: true, status: 200, statusText: 'OK', type: 'basic', headers: JSON_HEADERS, text: async () => body } as unknown as Response;
  };
}
