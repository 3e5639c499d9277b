import { z } from 'zod';

/**
 * Imported first by every extension entrypoint that bundles zod (background, options). zod compiles object parsers with `new Function`
 * after probing for it; under the extension CSP (`script-src 'self'`) that probe is a CSP violation,
 * which Firefox logs and Chromium files as a DevTools issue. Jitless parsing never makes it (docs/contract.md#languages-and-accessibility:
 * zero console errors, zero violations).
 */
z.config({ jitless: true });
