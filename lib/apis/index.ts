import type { VendorId } from '../vendors';
import { cortexXdr } from './cortex-xdr';
import { cortexXsiam } from './cortex-xsiam';
import { cortexXsoar } from './cortex-xsoar';
import { metadefenderCloud } from './metadefender-cloud';
import { metadefenderCore } from './metadefender-core';
import { metadefenderStorage } from './metadefender-storage';
import { metadefenderVault } from './metadefender-vault';
import type { VendorAdapter } from './types';

export const adapters = {
  'metadefender-core': metadefenderCore,
  'metadefender-storage': metadefenderStorage,
  'cortex-xsoar': cortexXsoar,
  'metadefender-vault': metadefenderVault,
  'metadefender-cloud': metadefenderCloud,
  'cortex-xsiam': cortexXsiam,
  'cortex-xdr': cortexXdr,
} satisfies Record<VendorId, VendorAdapter>;
