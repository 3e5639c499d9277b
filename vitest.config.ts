import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

export default defineConfig({
  plugins: [WxtVitest()],
  test: {
    include: ['{lib,ext,entrypoints,cli,test,bench,scripts}/**/*.test.{ts,tsx}'],
    // lib/ is plain Node code; files that need a DOM say so with `@vitest-environment happy-dom`.
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
