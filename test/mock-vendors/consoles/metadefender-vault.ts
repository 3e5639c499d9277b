import type { ConsoleSite } from './site';

export const metadefenderVaultConsole: ConsoleSite = {
  vendor: 'metadefender-vault',
  title: 'MetaDefender Vault',
  routing: 'hash',
  home: '/dashboard',
  pages: { '/settings/security/api-keys': 'metadefender-vault-api-keys.html' },
  renderDelayMs: 300,
  // seed 003: the REST API lives under /vault_rest/; the console is the root page.
  servesConsole: (path) => path === '/' || path === '/index.html',
};
