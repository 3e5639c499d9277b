import { hashPath } from './route';
import type { ConsoleDef } from './types';

/** MetaDefender Core 5.x Angular console: Settings > User Management > Users and groups, hash routes. */
export const metadefenderCore = {
  vendor: 'metadefender-core',
  // docs/contract.md#metadefender-core: keys belong to users, so the users list is the key page; roles and directories are not.
  isKeysPage: (url) => /^\/(?:settings\/)?user-management(?:\/users(?:\/[^/]+)*)?\/?$/i.test(hashPath(url)),
  keysPage: { route: '/user-management/users', routing: 'hash' },
  exampleUrls: {
    yes: [
      'https://core.example:8008/#/user-management/users',
      'http://10.20.0.5:8008/#/user-management',
      'https://core.example/#/user-management/users?page=2',
      'https://core.example:8008/#/user-management/users/42',
      'https://core.example:8008/#/settings/user-management/users',
    ],
    no: [
      'https://core.example:8008/#/user-management/roles',
      'https://core.example:8008/#/user-management/directories',
      'https://core.example:8008/#/dashboard',
      'https://core.example:8008/#/public/process/dataId/abc',
      'https://core.example:8008/user-management/users',
    ],
  },
  anchors: ['app-users .toolbar-actions'],
  buttonLike: '.toolbar-actions .btn',
  fixtures: [['metadefender-core-users.html', 1]],
} satisfies ConsoleDef;
