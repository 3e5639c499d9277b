import type { ConsoleSite } from './site';

export const metadefenderStorageConsole: ConsoleSite = {
  vendor: 'metadefender-storage',
  title: 'MetaDefender Storage Security',
  routing: 'path',
  home: '/dashboard',
  pages: { '/settings/users': 'metadefender-storage-users.html', '/settings/profile': 'metadefender-storage-profile.html' },
  renderDelayMs: 600,
  // The vendor's look, approximated: button metrics as its console has them.
  css: `
body { margin: 0; font: 14px/1.43 Roboto, Helvetica, Arial, sans-serif; color: rgba(0,0,0,.87); background: #fafafa; }
.app-bar { display: flex; height: 64px; background: #1a2b4c; color: #fff; } .app-bar__toolbar { display: flex; align-items: center; gap: 24px; padding: 0 24px; width: 100%; }
.app-bar img { height: 24px; } .app-bar__tabs { display: flex; gap: 16px; } .app-bar__tabs a { color: #fff; text-decoration: none; opacity: .8; } .app-bar__tabs .Mui-selected { opacity: 1; }
.app-bar__user { margin-left: auto; background: none; border: 0; color: #fff; }
.settings-page { display: grid; grid-template-columns: 200px 1fr; gap: 24px; padding: 24px; }
.settings-page__nav { display: flex; flex-direction: column; gap: 4px; } .settings-page__nav a { color: rgba(0,0,0,.6); text-decoration: none; padding: 6px 0; }
.MuiToolbar-root { display: flex; align-items: center; min-height: 64px; padding: 0 16px; background: #fff; }
.settings-users > .MuiToolbar-root { gap: 16px; } .settings-users h2 { flex: 1; margin: 0; font-size: 20px; font-weight: 500; }
.MuiButton-root { box-sizing: border-box; min-width: 64px; height: 36.5px; padding: 6px 16px; font: 500 14px/1.75 Roboto, Helvetica, Arial, sans-serif; letter-spacing: .02857em; text-transform: uppercase; border-radius: 4px; border: 0; cursor: pointer; }
.MuiButton-contained { background: #1976d2; color: #fff; box-shadow: 0 3px 1px -2px rgba(0,0,0,.2), 0 2px 2px rgba(0,0,0,.14), 0 1px 5px rgba(0,0,0,.12); }
.MuiButton-outlined { background: none; color: #1976d2; border: 1px solid rgba(25,118,210,.5); }
.MuiTable-root { width: 100%; border-collapse: collapse; background: #fff; } .MuiTableCell-root { text-align: left; padding: 16px; border-bottom: 1px solid rgba(224,224,224,1); }
.MuiCard-root { background: #fff; border-radius: 4px; box-shadow: 0 2px 1px -1px rgba(0,0,0,.2), 0 1px 1px rgba(0,0,0,.14); max-width: 640px; } .MuiCardContent-root { padding: 16px; }
.MuiCardActions-root { display: flex; align-items: center; gap: 8px; padding: 8px; }
`,
  // nginx proxies /api/ to the gateway and serves the React app for every other route.
  servesConsole: (path) => !path.startsWith('/api/') && !/\.[a-z0-9]+$/i.test(path),
  // docs/contract.md#metadefender-storage-security: a JWT from /api/user/authenticate, sent as Bearer; only such a session may list keys.
  login: {
    signIn: { method: 'POST', path: '/api/user/authenticate', json: { user: 'username', password: 'password' } },
    tokenField: 'accessToken',
    header: { name: 'Authorization', prefix: 'Bearer ' },
    lists: {
      '/settings/users': { path: '/api/user/active/0/100', label: 'username' },
      '/settings/profile': { path: '/api/apikey', label: 'id' },
    },
  },
};
