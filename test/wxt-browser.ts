// `wxt/browser` in the unit tests: WXT's fake browser, as WXT's own mock gives it, but imported from
// its module alone. WXT's mock imports it through `wxt/testing`, whose index also loads the Vitest
// plugin and with it WXT's whole build core (Vite included): over a second of imports in every test
// file that reaches `browser`.
import { fakeBrowser } from 'wxt/testing/fake-browser';

export const browser = fakeBrowser;
export default fakeBrowser;
