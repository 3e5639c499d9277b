import { defineContentScript } from 'wxt/utils/define-content-script';
import { startConsoleButton } from './button';

/**
 * One content script for every vendor console (lib/consoles picks the vendor). Registered at run
 * time only, for the origins the user granted (ext/content-registration.ts): no `matches` here,
 * because WXT would turn them into required host permissions.
 */
export default defineContentScript({
  registration: 'runtime',
  main(ctx) {
    return startConsoleButton(ctx);
  },
});
