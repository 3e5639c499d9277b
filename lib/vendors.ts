// The vendor ids of SPEC §1: used in config, CSV and code.
export const VENDOR_IDS = [
  'metadefender-core',
  'metadefender-storage',
  'cortex-xsoar',
  'metadefender-vault',
  'metadefender-cloud',
] as const;

export type VendorId = (typeof VENDOR_IDS)[number];

export const VENDOR_LABELS: Record<VendorId, string> = {
  'metadefender-core': 'MetaDefender Core',
  'metadefender-storage': 'MetaDefender Storage Security',
  'cortex-xsoar': 'Cortex XSOAR 8',
  'metadefender-vault': 'MetaDefender Vault',
  'metadefender-cloud': 'MetaDefender Cloud',
};

export function isVendorId(value: unknown): value is VendorId {
  return typeof value === 'string' && (VENDOR_IDS as readonly string[]).includes(value);
}
