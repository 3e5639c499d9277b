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
};
