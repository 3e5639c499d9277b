import { hashPath } from './route';
import type { ConsoleDef } from './types';

/** MetaDefender Vault AngularJS console: Settings > Security > API Keys, hash routes. */
export const metadefenderVault = {
  vendor: 'metadefender-vault',
  // docs/contract.md#metadefender-vault: this is the page the tokens list call feeds.
  isKeysPage: (url) => /^\/(?:settings\/(?:security\/)?)?api-?keys\/?$/i.test(hashPath(url)),
  keysPage: { route: '/settings/security/api-keys', routing: 'hash' },
  exampleUrls: {
    yes: [
      'https://vault.example:8010/#/settings/security/api-keys',
      'http://localhost:8010/#/settings/security/api-keys?find=kiosk',
      'https://vault.example/#/settings/apikeys',
    ],
    no: [
      'https://vault.example:8010/#/settings/security/password-policy',
      'https://vault.example:8010/#/files',
      'https://vault.example:8010/#/dashboard',
      'https://vault.example:8010/vault_rest/tokens/0/100',
    ],
  },
  anchors: ['.api-keys-view .page-toolbar'],
  buttonLike: '.page-toolbar .btn',
  fixtures: [['metadefender-vault-api-keys.html', 1]],
} satisfies ConsoleDef;
