import type { ConsoleSite } from './site';

export const metadefenderVaultConsole: ConsoleSite = {
  vendor: 'metadefender-vault',
  title: 'MetaDefender Vault',
  routing: 'hash',
  home: '/dashboard',
  pages: { '/settings/security/api-keys': 'metadefender-vault-api-keys.html' },
  renderDelayMs: 300,
  // The vendor's look, approximated: button metrics as its console has them.
  css: `
body { margin: 0; font: 14px/1.42857 'Source Sans Pro', 'Helvetica Neue', Helvetica, Arial, sans-serif; color: #333; background: #ecf0f5; }
.navbar { height: 50px; background: #3c8dbc; display: flex; align-items: center; } .navbar .container-fluid { display: flex; justify-content: space-between; width: 100%; padding: 0 15px; }
.navbar img { height: 24px; } .navbar a { color: #fff; text-decoration: none; } .navbar ul { list-style: none; margin: 0; padding: 0; }
.wrapper { display: grid; grid-template-columns: 200px 1fr; } .navbar { grid-column: 1 / -1; }
.sidebar { background: #222d32; min-height: 100vh; } .sidebar ul { list-style: none; margin: 0; padding: 0; } .sidebar a { display: block; padding: 8px 15px; color: #b8c7ce; text-decoration: none; } .sidebar .active > a { color: #fff; }
.content-header h1 { margin: 0; padding: 15px 15px 0; font-size: 24px; font-weight: 400; } .content { padding: 15px; }
.box { background: #fff; border-top: 3px solid #d2d6de; border-radius: 3px; } .box-header { padding: 10px; border-bottom: 1px solid #f4f4f4; }
.page-toolbar { display: flex; align-items: center; gap: 8px; } .search-box { flex: 0 0 220px; }
.form-control { height: 30px; box-sizing: border-box; width: 100%; padding: 5px 10px; font-size: 12px; border: 1px solid #d2d6de; }
.btn { display: inline-block; height: 30px; padding: 5px 10px; font-size: 12px; line-height: 1.5; border-radius: 3px; border: 1px solid transparent; box-sizing: border-box; font-family: inherit; cursor: pointer; }
.btn-primary { background: #3c8dbc; border-color: #367fa9; color: #fff; }
.box-body { padding: 10px; } .table { width: 100%; border-collapse: collapse; } .table th, .table td { text-align: left; padding: 8px; border-top: 1px solid #f4f4f4; }
`,
  // docs/contract.md#metadefender-vault: the REST API lives under /vault_rest/; the console is the root page.
  servesConsole: (path) => path === '/' || path === '/index.html',
  // "Request An API Key": GET /vault_rest/authenticate → token, then Bearer; docs/contract.md#metadefender-vault says the web
  // UI lists keys with it.
  login: {
    signIn: { method: 'GET', path: '/vault_rest/authenticate', basic: true },
    tokenField: 'token',
    header: { name: 'Authorization', prefix: 'Bearer ' },
    lists: { '/settings/security/api-keys': { path: '/vault_rest/tokens/0/50', label: 'description' } },
  },
};
