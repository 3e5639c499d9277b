import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';
import { iconMap } from './ext/icons';

/**
 * Headless tests need no permission prompt: KEYATLAS_TEST_HOSTS (comma-separated match patterns)
 * become install-time host permissions. Release builds never set it (docs/contract.md#automation-contract).
 */
const testHosts = (process.env.KEYATLAS_TEST_HOSTS ?? '')
  .split(',')
  .map((pattern) => pattern.trim())
  .filter(Boolean);

/** docs/contract.md#test-builds: a build carrying test hosts says so in its name, and is never packaged for release. */
export const TEST_BUILD_NAME = 'KeyAtlas (test build)';

export default defineConfig({
  imports: false,
  hooks: {
    'zip:start': () => {
      if (testHosts.length) throw new Error('KEYATLAS_TEST_HOSTS is set: release packages never carry test hosts. Unset it and run npm run zip again.');
    },
  },
  // Firefox too: its MV3 background is an event page (`background.scripts`), which WXT emits.
  manifestVersion: 3,
  vite: () => ({
    plugins: [preact()],
    build: {
      rollupOptions: {
        // onLog, not onwarn: the Preact preset sets an onwarn of its own, which would replace ours.
        onLog(level, log, handler) {
          // zod places `@__PURE__` comments where Rollup cannot use them; Rollup drops the comment
          // and says so for every bundle (about a hundred lines a build). Harmless: the code stays.
          if (log.code === 'INVALID_ANNOTATION' && /[\\/]node_modules[\\/]zod[\\/]/.test(log.id ?? '')) return;
          handler(level, log);
        },
      },
    },
  }),
  manifest: ({ browser }) => ({
    name: testHosts.length ? TEST_BUILD_NAME : '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    icons: iconMap(),
    action: { default_icon: iconMap() },
    // offscreen.hasDocument() (the blob URLs of large CSV downloads) is the newest API used: Chrome 116.
    // Older ones: storage.session and its setAccessLevel, persistent registered content scripts (102),
    // offscreen BLOBS (109). Firefox ignores this key, it has strict_min_version below.
    ...(browser === 'firefox'
      ? {}
      : {
          minimum_chrome_version: '116',
          // What an organisation's policy may set (storage.managed); Firefox takes policies.json `3rdparty` without it.
          storage: { managed_schema: 'managed_schema.json' },
        }),
    // webRequest: observing console sessions (docs/contract.md#console-sessions). unlimitedStorage: the cached key list of a
    // large estate outgrows the 10 MB storage.local quota. offscreen (Chrome): blob URLs for large CSVs.
    permissions: [
      'storage',
      'unlimitedStorage',
      'alarms',
      'downloads',
      'scripting',
      'webRequest',
      ...(browser === 'firefox' ? [] : ['offscreen']),
      // A test build holds notifications from install, as it holds its test hosts: no prompt headless.
      ...(testHosts.length ? ['notifications'] : []),
    ],
    // Expiry notifications are opt-in: asked for when the user turns them on (docs/contract.md#ahead-of-expiry).
    ...(testHosts.length ? {} : { optional_permissions: ['notifications'] }),
    // Each instance's origin is granted by the user from the options page, never at install.
    optional_host_permissions: ['https://*/*', 'http://*/*'],
    ...(testHosts.length ? { host_permissions: testHosts } : {}),
    content_security_policy: { extension_pages: "script-src 'self'; object-src 'self'" },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'keyatlas@keyatlas.dev',
              // data_collection_permissions is the newest key used: Firefox 140 (an ESR) reads it,
              // older versions reject or ignore it. optional_host_permissions in MV3 needs 128.
              strict_min_version: '140.0',
              // The extension talks only to the user's own consoles and collects nothing.
              data_collection_permissions: { required: ['none'] },
            },
            // Firefox for Android reads data_collection_permissions from 142 on.
            gecko_android: { strict_min_version: '142.0' },
          },
        }
      : {}),
  }),
});
