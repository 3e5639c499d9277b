import { hostName, type ConsoleSite } from './site';

export const cortexXsoarConsole: ConsoleSite = {
  vendor: 'cortex-xsoar',
  title: 'Cortex XSOAR',
  routing: 'path',
  home: '/dashboard',
  pages: { '/settings/configurations/api-keys': 'cortex-xsoar-api-keys.html' },
  renderDelayMs: 800,
  // seed 002: `api-<fqdn>` is the API host, the bare `<fqdn>` the console. Browser tests map both
  // names to 127.0.0.1 (--host-resolver-rules), so the Host header tells them apart.
  servesConsole: (path, req) => !hostName(req).startsWith('api-') && !path.startsWith('/public_api/') && !/\.[a-z0-9]+$/i.test(path),
};
