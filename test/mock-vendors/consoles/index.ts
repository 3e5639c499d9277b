import type { ConsoleVendorId } from '../../../lib/consoles';
import type { Route } from '../server';
import { cortexXsoarConsole } from './cortex-xsoar';
import { metadefenderCoreConsole } from './metadefender-core';
import { metadefenderStorageConsole } from './metadefender-storage';
import { metadefenderVaultConsole } from './metadefender-vault';
import { consoleRoute, type ConsoleSite } from './site';

export type { ConsoleSite } from './site';

export const consoleSites = {
  'metadefender-core': metadefenderCoreConsole,
  'metadefender-storage': metadefenderStorageConsole,
  'cortex-xsoar': cortexXsoarConsole,
  'metadefender-vault': metadefenderVaultConsole,
} satisfies Record<ConsoleVendorId, ConsoleSite>;

/** The console web pages of a vendor mock: `server.extraRoutes.push(consoleRouteFor(vendor))`. */
export function consoleRouteFor(vendor: ConsoleVendorId): Route {
  return consoleRoute(consoleSites[vendor]);
}
