import { xsoarConsoleOrigin } from '../origins';
import type { ConsoleDef } from './types';

/** Cortex XSOAR 8 tenant console (`https://<tenant fqdn>`, not the `api-` host): Settings > Configurations > API Keys. */
export const cortexXsoar = {
  vendor: 'cortex-xsoar',
  isKeysPage: (url) => !url.hash.startsWith('#/') && /^\/(?:settings\/)?configurations?\/(?:integrations\/)?api-keys\/?$/i.test(url.pathname),
  keysPage: { route: '/settings/configurations/api-keys', routing: 'path' },
  // docs/contract.md#cortex-xsoar-xsiam-and-xdr: keys are managed on the tenant console, not on the `api-` host the instance is configured with.
  consoleOrigin: xsoarConsoleOrigin,
  exampleUrls: {
    yes: [
      'https://tenant.xdr.example/settings/configurations/api-keys',
      'https://acme.crtx.us.paloaltonetworks.com/settings/configurations/integrations/api-keys',
      'http://lab.keyatlas.test:9443/configuration/api-keys',
    ],
    no: [
      'https://tenant.xdr.example/incidents',
      'https://tenant.xdr.example/settings/configurations/users',
      'https://tenant.xdr.example/dashboard',
      'https://api-tenant.xdr.example/public_api/v1/api_keys/get_api_keys',
    ],
  },
  anchors: ['[data-testid="api-keys-toolbar"]'],
  buttonLike: '[data-testid="api-keys-toolbar"] .btn',
  fixtures: [['cortex-xsoar-api-keys.html', 1]],
} satisfies ConsoleDef;
