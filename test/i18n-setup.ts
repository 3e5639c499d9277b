import { fakeBrowser } from 'wxt/testing/fake-browser';
import { englishI18n } from './i18n-messages';

// WXT's fake browser has no i18n: unit tests render the same English text the extension shows.
Object.assign(fakeBrowser, { i18n: { ...(fakeBrowser as { i18n?: object }).i18n, ...englishI18n } });
