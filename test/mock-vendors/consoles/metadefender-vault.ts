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
  // "Request An API Key": GET /vault_rest/authenticate → token, then Bearer; seed 003 says the web
  // UI lists keys with it.
  login: {
    signIn: { method: 'GET', path: '/vault_rest/authenticate', basic: true },
    tokenField: 'token',
    header: { name: 'Authorization', prefix: 'Bearer ' },
    lists: { '/settings/security/api-keys': { path: '/vault_rest/tokens/0/50', label: 'description' } },
  },
};
