import { cortexXdr } from './cortex-xdr';
import { cortexXsiam } from './cortex-xsiam';
import { cortexXsoar } from './cortex-xsoar';
import { metadefenderCore } from './metadefender-core';
import { metadefenderStorage } from './metadefender-storage';
import { metadefenderVault } from './metadefender-vault';
import { baseUrl } from '../config';
import type { VendorId } from '../vendors';
import { cloudAccountUrl } from './metadefender-cloud';
import { consoleUrl } from './route';
import type { ConsoleDef, ConsoleLink, ConsoleVendorId } from './types';

export type { ConsoleDef, ConsoleLink, ConsoleVendorId } from './types';

export const consoles = {
  'metadefender-core': metadefenderCore,
  'metadefender-storage': metadefenderStorage,
  'cortex-xsoar': cortexXsoar,
  'metadefender-vault': metadefenderVault,
} satisfies Record<ConsoleVendorId, ConsoleDef>;

const consoleList: readonly ConsoleDef[] = Object.values(consoles);

/** Consoles linked to but given no button. */
const linkOnly = {
  'cortex-xsiam': cortexXsiam,
  'cortex-xdr': cortexXdr,
} satisfies Record<Exclude<VendorId, ConsoleVendorId | 'metadefender-cloud'>, ConsoleLink>;

/** docs/contract.md#automation-contract: on any page of a configured instance, this element is an anchor too. */
export const TEST_ANCHOR = '[data-keyatlas-anchor]';

export function consoleFor(vendor: string | null | undefined): ConsoleDef | undefined {
  return consoleList.find((def) => def.vendor === vendor);
}

/** The console whose key page this URL is, when the vendor is not known from the configuration. */
export function detectConsole(url: URL): ConsoleDef | undefined {
  return consoleList.find((def) => def.isKeysPage(url));
}

/** The first element matched by the selectors, tried in order (newest console version first). */
export function findAnchor(root: ParentNode, selectors: readonly string[]): Element | null {
  for (const selector of selectors) {
    const found = root.querySelector(selector);
    if (found) return found;
  }
  return null;
}

/** The console page where this instance's keys are managed (docs/contract.md#test-ids `open-console`). */
export function consolePageUrl(instance: { vendor: VendorId; url?: string | undefined }): string {
  const base = new URL(baseUrl(instance));
  const { vendor } = instance;
  if (vendor === 'metadefender-cloud') return cloudAccountUrl(base);
  const def: ConsoleDef | ConsoleLink = vendor === 'cortex-xsiam' || vendor === 'cortex-xdr' ? linkOnly[vendor] : consoles[vendor];
  return consoleUrl(def.consoleOrigin?.(base.origin) ?? base.origin, base.pathname, def.keysPage);
}
