import type { ConsoleSite } from './site';

export const metadefenderStorageConsole: ConsoleSite = {
  vendor: 'metadefender-storage',
  title: 'MetaDefender Storage Security',
  routing: 'path',
  home: '/dashboard',
  pages: { '/settings/users': 'metadefender-storage-users.html', '/settings/profile': 'metadefender-storage-profile.html' },
  renderDelayMs: 600,
  // nginx proxies /api/ to the gateway and serves the React app for every other route.
  servesConsole: (path) => !path.startsWith('/api/') && !/\.[a-z0-9]+$/i.test(path),
  // seed 001: a JWT from /api/user/authenticate, sent as Bearer; only such a session may list keys.
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
