import type { ConsoleVendorId } from '../../../lib/consoles';
import type { Route } from '../server';
import { cortexXsoarConsole } from './cortex-xsoar';
import { metadefenderCoreConsole } from './metadefender-core';
import { metadefenderStorageConsole } from './metadefender-storage';
import { metadefenderVaultConsole } from './metadefender-vault';
import { consoleRoute, type ConsoleSite } from './site';

export type { ConsoleLogin, ConsoleSite } from './site';
export { LOGIN_ROUTE } from './site';

export const consoleSites = {
  'metadefender-core': metadefenderCoreConsole,
  'metadefender-storage': metadefenderStorageConsole,
  'cortex-xsoar': cortexXsoarConsole,
  'metadefender-vault': metadefenderVaultConsole,
} satisfies Record<ConsoleVendorId, ConsoleSite>;

/**
 * The console web pages of a vendor mock: `server.extraRoutes.push(consoleRouteFor(vendor))`.
 * `{ login: true }`: the MetaDefender consoles ask for a sign-in first and call their API with the
 * session, as the real ones do (test/mock-vendors/consoles/site.ts).
 */
export function consoleRouteFor(vendor: ConsoleVendorId, options: { login?: boolean } = {}): Route {
  return consoleRoute(consoleSites[vendor], options);
}
