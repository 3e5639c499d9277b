import type { ConsoleSite } from './site';

export const metadefenderCoreConsole: ConsoleSite = {
  vendor: 'metadefender-core',
  title: 'MetaDefender Core',
  routing: 'hash',
  home: '/dashboard',
  pages: { '/user-management/users': 'metadefender-core-users.html' },
  renderDelayMs: 400,
  // The REST API (seed 000: /admin/user, /login, …) shares the origin; the console is the root page.
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
