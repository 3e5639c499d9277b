import type { ConsoleDef } from './types';

/** MetaDefender Storage Security React console (path routes): the users list and the profile's API key card. */
export const metadefenderStorage = {
  vendor: 'metadefender-storage',
  // docs/contract.md#metadefender-storage-security: a user's one API key is generated from Profile Information (4.x) or the Users list (3.x).
  isKeysPage: (url) => !url.hash.startsWith('#/') && /^\/(?:settings\/(?:users|profile)|profile)\/?$/i.test(url.pathname),
  keysPage: { route: '/settings/users', routing: 'path' },
  exampleUrls: {
    yes: ['https://mdss.example/settings/users', 'https://mdss.example/settings/profile', 'http://10.20.0.7/profile', 'https://mdss.example:8443/settings/users/'],
    no: ['https://mdss.example/dashboard', 'https://mdss.example/settings/smtp', 'https://mdss.example/scan-history', 'https://mdss.example/'],
  },
  anchors: ['.settings-users > .MuiToolbar-root', '.profile-api-key .MuiCardActions-root'],
  buttonLike: '.MuiButton-root',
  fixtures: [
    ['metadefender-storage-users.html', 1],
    ['metadefender-storage-profile.html', 1],
  ],
} satisfies ConsoleDef;
