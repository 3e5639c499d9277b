import type { VendorId } from '../../lib/vendors';
import { consoleRouteFor } from './consoles/index';
import { startXsoarMock, XSOAR_ADVANCED_KEY, XSOAR_ADVANCED_KEY_ID } from './cortex-xsoar';
import { CLOUD_PAID_KEY, startCloudMock } from './metadefender-cloud';
import { CORE_ADMIN_KEY, startCoreMock } from './metadefender-core';
import { STORAGE_ADMIN_PASSWORD, STORAGE_ADMIN_USER, startStorageMock } from './metadefender-storage';
import { startVaultMock, VAULT_ADMIN_KEY, VAULT_USERNAME } from './metadefender-vault';
import type { MockOptions, MockServer } from './server';

/**
 * The vendors of the demo fleet. Cortex XSIAM and XDR answer the XSOAR 8 API with the same adapter:
 * their mocks (the XSOAR mock with a product switch) run in their own tests instead.
 */
export const FLEET_VENDORS = ['metadefender-core', 'metadefender-storage', 'cortex-xsoar', 'metadefender-vault', 'metadefender-cloud'] as const satisfies readonly VendorId[];
export type FleetVendorId = (typeof FLEET_VENDORS)[number];

export interface MockFleet {
  servers: Record<FleetVendorId, MockServer>;
  /** A configuration (docs/contract.md#configuration) pointing at the mocks, with the demo credentials inline. */
  config: { instances: Record<string, unknown>[] };
  close(): Promise<void>;
}

export const DEMO_INSTANCE_NAMES: Record<FleetVendorId, string> = {
  'metadefender-core': 'core-prod',
  'metadefender-storage': 'mdss',
  'cortex-xsoar': 'xsoar',
  'metadefender-vault': 'vault',
  'metadefender-cloud': 'cloud',
};

/**
 * One mock console of each vendor on 127.0.0.1 with the realistic demo data: used by `npm run demo`,
 * the CLI and browser tests, and the benchmarks.
 */
export async function startMockFleet(options: MockOptions & { now?: Date } = {}): Promise<MockFleet> {
  const [core, storage, xsoar, vault, cloud] = await Promise.all([
    startCoreMock(options),
    startStorageMock(options),
    startXsoarMock(options),
    startVaultMock(options),
    startCloudMock(options),
  ]);
  const servers: Record<FleetVendorId, MockServer> = {
    'metadefender-core': core,
    'metadefender-storage': storage,
    'cortex-xsoar': xsoar,
    'metadefender-vault': vault,
    'metadefender-cloud': cloud,
  };
  // The web consoles live on the same origins as their APIs, as on the real products.
  for (const vendor of ['metadefender-core', 'metadefender-storage', 'cortex-xsoar', 'metadefender-vault'] as const)
    servers[vendor].extraRoutes.push(consoleRouteFor(vendor));
  const config = {
    instances: [
      { name: DEMO_INSTANCE_NAMES['metadefender-core'], vendor: 'metadefender-core', url: core.url, apiKey: CORE_ADMIN_KEY },
      { name: DEMO_INSTANCE_NAMES['metadefender-storage'], vendor: 'metadefender-storage', url: storage.url, username: STORAGE_ADMIN_USER, password: STORAGE_ADMIN_PASSWORD },
      {
        name: DEMO_INSTANCE_NAMES['cortex-xsoar'],
        vendor: 'cortex-xsoar',
        url: xsoar.url,
        apiKey: XSOAR_ADVANCED_KEY,
        apiKeyId: XSOAR_ADVANCED_KEY_ID,
        securityLevel: 'advanced',
      },
      { name: DEMO_INSTANCE_NAMES['metadefender-vault'], vendor: 'metadefender-vault', url: vault.url, apiKey: VAULT_ADMIN_KEY, username: VAULT_USERNAME },
      { name: DEMO_INSTANCE_NAMES['metadefender-cloud'], vendor: 'metadefender-cloud', url: cloud.url, apiKey: CLOUD_PAID_KEY },
    ],
  };
  return {
    servers,
    config,
    close: async () => {
      await Promise.all(Object.values(servers).map((s) => s.close()));
    },
  };
}
