import { parseConfig, resolveSecrets, type ResolvedInstance } from '../lib/config';
import type { VendorId } from '../lib/vendors';
import { startXsoarMock, XSOAR_ADVANCED_KEY, XSOAR_ADVANCED_KEY_ID, XSOAR_API_KEY, XSOAR_API_KEY_ID } from '../test/mock-vendors/cortex-xsoar';
import { CLOUD_PAID_KEY, startCloudMock } from '../test/mock-vendors/metadefender-cloud';
import { CORE_ADMIN_KEY, CORE_ADMIN_PASSWORD, CORE_ADMIN_USER, startCoreMock } from '../test/mock-vendors/metadefender-core';
import { STORAGE_ADMIN_PASSWORD, STORAGE_ADMIN_USER, startStorageMock } from '../test/mock-vendors/metadefender-storage';
import { startVaultMock, VAULT_ADMIN_KEY, VAULT_USERNAME } from '../test/mock-vendors/metadefender-vault';
import type { MockServer } from '../test/mock-vendors/server';

/** One mock console on its own port with its own injected latency, as separate servers would be. */
export interface InstanceSpec {
  name: string;
  vendor: VendorId;
  latencyMs: number;
  /** Core: log in with user and password instead of the API key (two more round trips). XSOAR: advanced key. */
  variant?: 'login' | 'advanced';
  /** Vault: generated tokens and the server's page cap (docs/contract.md#metadefender-vault: servers cap `count`). */
  tokens?: number;
  pageCap?: number;
}

/** A running fleet, in this process or another (bench/fleet-process.ts). */
export interface FleetHandle {
  instances: ResolvedInstance[];
  /** The configuration (docs/contract.md#configuration) the instances came from, for the CLI. */
  config: { instances: Record<string, unknown>[] };
  resetStats(): Promise<void>;
  /** Requests in flight at once on the busiest server since the last reset. */
  busiestInFlight(): Promise<number>;
  close(): Promise<void>;
}

export interface Fleet extends FleetHandle {
  servers: Map<string, MockServer>;
}

export async function startFleet(specs: readonly InstanceSpec[], now = new Date()): Promise<Fleet> {
  const servers = new Map<string, MockServer>();
  const entries: Record<string, unknown>[] = [];
  try {
    for (const spec of specs) {
      const { server, entry } = await startOne(spec, now);
      servers.set(spec.name, server);
      entries.push({ name: spec.name, vendor: spec.vendor, url: server.url, ...entry });
    }
  } catch (error) {
    await Promise.all([...servers.values()].map((s) => s.close()));
    throw error;
  }
  const config = { instances: entries };
  return {
    // Through the real schema, as the CLI would read it.
    instances: resolveSecrets(parseConfig(config, 'bench fleet'), {}),
    config,
    servers,
    resetStats: async () => {
      for (const server of servers.values()) server.resetStats();
    },
    busiestInFlight: async () => Math.max(...[...servers.values()].map((s) => s.maxInFlight)),
    close: async () => {
      await Promise.all([...servers.values()].map((s) => s.close()));
    },
  };
}

async function startOne(spec: InstanceSpec, now: Date): Promise<{ server: MockServer; entry: Record<string, unknown> }> {
  const latencyMs = spec.latencyMs;
  switch (spec.vendor) {
    case 'metadefender-core':
      return {
        server: await startCoreMock({ latencyMs }),
        entry: spec.variant === 'login' ? { username: CORE_ADMIN_USER, password: CORE_ADMIN_PASSWORD } : { apiKey: CORE_ADMIN_KEY },
      };
    case 'metadefender-storage':
      return { server: await startStorageMock({ latencyMs, now }), entry: { username: STORAGE_ADMIN_USER, password: STORAGE_ADMIN_PASSWORD } };
    case 'cortex-xsoar':
    case 'cortex-xsiam':
    case 'cortex-xdr':
      return {
        server: await startXsoarMock({ latencyMs, now, product: spec.vendor }),
        entry:
          spec.variant === 'advanced'
            ? { apiKey: XSOAR_ADVANCED_KEY, apiKeyId: XSOAR_ADVANCED_KEY_ID, securityLevel: 'advanced' }
            : { apiKey: XSOAR_API_KEY, apiKeyId: XSOAR_API_KEY_ID },
      };
    case 'metadefender-vault':
      return {
        server: await startVaultMock({ latencyMs, now, generate: spec.tokens, maxCount: spec.pageCap }),
        entry: { apiKey: VAULT_ADMIN_KEY, username: VAULT_USERNAME },
      };
    case 'metadefender-cloud':
      return { server: await startCloudMock({ latencyMs, now }), entry: { apiKey: CLOUD_PAID_KEY } };
  }
}
