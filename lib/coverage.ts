import type { VendorId } from './vendors';

/**
 * What one instance's credential can see, stated beside every outcome (docs/contract.md,
 * "Completeness states"): an `ok` read is complete for this scope, not beyond it.
 */
export const COVERAGES = ['all users', 'tenant', 'own + system-level tokens', 'own key', 'this key'] as const;
export type Coverage = (typeof COVERAGES)[number];

export const COVERAGE: Record<VendorId, Coverage> = {
  // An administrator key or login lists every user of the instance.
  'metadefender-core': 'all users',
  // The Cortex public API lists every key of the tenant.
  'cortex-xsoar': 'tenant',
  'cortex-xsiam': 'tenant',
  'cortex-xdr': 'tenant',
  // Vault's docs: user-level tokens are visible only to their creator.
  'metadefender-vault': 'own + system-level tokens',
  // One key per user, invalidated when the password changes.
  'metadefender-storage': 'own key',
  // The Cloud API describes only the key it is called with.
  'metadefender-cloud': 'this key',
};
