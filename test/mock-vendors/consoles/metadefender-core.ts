import type { ConsoleSite } from './site';

export const metadefenderCoreConsole: ConsoleSite = {
  vendor: 'metadefender-core',
  title: 'MetaDefender Core',
  routing: 'hash',
  home: '/dashboard',
  pages: { '/user-management/users': 'metadefender-core-users.html' },
  renderDelayMs: 400,
  // The vendor's look, approximated: button metrics as its console has them.
  css: `
body { margin: 0; font: 14px/1.5 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif; color: #1b273a; background: #f4f6f9; }
.top-bar { display: flex; justify-content: space-between; align-items: center; height: 48px; padding: 0 16px; background: #1b273a; color: #fff; }
.top-bar img { height: 20px; } .top-bar__user { background: none; border: 0; color: inherit; font: inherit; }
.layout { display: grid; grid-template-columns: 200px 1fr; grid-template-rows: 48px 1fr; } .top-bar { grid-column: 1 / -1; }
.side-nav { background: #fff; border-right: 1px solid #dfe3ea; padding: 12px 0; } .side-nav ul { list-style: none; margin: 0; padding: 0 0 0 12px; }
.side-nav__link { display: block; padding: 4px 8px; color: #1b273a; text-decoration: none; } .side-nav__link--active { color: #1d6bfc; font-weight: 600; }
.content { padding: 16px 24px; } .page-header__title { font-size: 22px; font-weight: 600; margin: 0 0 12px; }
.tabs { display: flex; gap: 16px; border-bottom: 1px solid #dfe3ea; margin-bottom: 12px; } .tabs__tab { padding: 6px 0; color: #5b6b82; text-decoration: none; } .tabs__tab--active { color: #1d6bfc; border-bottom: 2px solid #1d6bfc; }
.table-toolbar { display: flex; justify-content: space-between; align-items: center; margin-bottom: 12px; }
.form-control { height: 32px; box-sizing: border-box; padding: 0 10px; border: 1px solid #c5ccd8; border-radius: 4px; font: inherit; }
.toolbar-actions { display: flex; align-items: center; }
.btn { display: inline-flex; align-items: center; gap: 6px; height: 32px; padding: 0 16px; border-radius: 4px; border: 1px solid transparent; font-size: 14px; font-weight: 400; font-family: inherit; cursor: pointer; }
.btn-primary { background: #1d6bfc; color: #fff; }
.data-table { width: 100%; border-collapse: collapse; background: #fff; } .data-table th, .data-table td { text-align: left; padding: 8px 10px; border-bottom: 1px solid #e6e9ef; }
.badge--ok { color: #1e7b34; } .btn-icon { background: none; border: 0; }
`,
  // The REST API (docs/contract.md#metadefender-core: /admin/user, /login, …) shares the origin; the console is the root page.
  servesConsole: (path) => path === '/' || path === '/index.html',
  // POST /login → session_id, then sent as the `apikey` header, as the Core docs describe for REST
  // clients; the web UI works through the same REST API.
  login: {
    signIn: { method: 'POST', path: '/login', json: { user: 'user', password: 'password' } },
    tokenField: 'session_id',
    header: { name: 'apikey', prefix: '' },
    lists: { '/user-management/users': { path: '/admin/user', label: 'name' } },
  },
};
