// The vendor ids of docs/contract.md#vendor-ids: used in config, CSV and code.
export const VENDOR_IDS = [
  'metadefender-core',
  'metadefender-storage',
  'cortex-xsoar',
  'metadefender-vault',
  'metadefender-cloud',
  'cortex-xsiam',
  'cortex-xdr',
] as const;

export type VendorId = (typeof VENDOR_IDS)[number];

export const VENDOR_LABELS: Record<VendorId, string> = {
  'metadefender-core': 'MetaDefender Core',
  'metadefender-storage': 'MetaDefender Storage Security',
  'cortex-xsoar': 'Cortex XSOAR 8',
  'metadefender-vault': 'MetaDefender Vault',
  'metadefender-cloud': 'MetaDefender Cloud',
  'cortex-xsiam': 'Cortex XSIAM',
  'cortex-xdr': 'Cortex XDR',
};

/**
 * The Cortex products that answer the same public API (`api-<tenant fqdn>`, key id + key, standard
 * or advanced keys): one adapter parameterised by product.
 */
export const CORTEX_VENDOR_IDS = ['cortex-xsoar', 'cortex-xsiam', 'cortex-xdr'] as const;
export type CortexVendorId = (typeof CORTEX_VENDOR_IDS)[number];

export function isCortexVendor(vendor: unknown): vendor is CortexVendorId {
  return (CORTEX_VENDOR_IDS as readonly unknown[]).includes(vendor);
}

export function isVendorId(value: unknown): value is VendorId {
  return typeof value === 'string' && (VENDOR_IDS as readonly string[]).includes(value);
}
