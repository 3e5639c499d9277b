import { xsoarConsoleOrigin } from '../origins';
import type { CortexVendorId } from '../vendors';
import type { ConsoleLink } from './types';

/**
 * A Cortex tenant console (`https://<tenant fqdn>`, not the `api-` host the instance is configured
 * with). XSIAM and XDR route their settings pages on the path, `/configuration/<page>`
 * (Settings > Configurations > Integrations > API Keys); KeyAtlas adds no button there, it only links.
 */
export function cortexTenantConsole<V extends Exclude<CortexVendorId, 'cortex-xsoar'>>(vendor: V): ConsoleLink & { vendor: V } {
  return { vendor, keysPage: { route: '/configuration/api-keys', routing: 'path' }, consoleOrigin: xsoarConsoleOrigin };
}
