import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

export default defineConfig({
  plugins: [
    WxtVitest(),
    {
      // After WXT's plugin, so this alias of `wxt/browser` wins over its own (see test/wxt-browser.ts).
      name: 'keyatlas:light-fake-browser',
      config: () => ({ resolve: { alias: [{ find: /^wxt\/browser$/, replacement: fileURLToPath(new URL('test/wxt-browser.ts', import.meta.url)) }] } }),
    },
  ],
  test: {
    // lib/ is plain Node code; files that need a DOM say so with `@vitest-environment happy-dom`.
    environment: 'node',
    testTimeout: 20_000,
    setupFiles: ['test/i18n-setup.ts'],
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['{lib,ext,entrypoints,cli,test,bench,scripts}/**/*.test.{ts,tsx}'],
          exclude: [...configDefaults.exclude, 'test/e2e/**'],
          // The CLI bundle the tests spawn (test/cli/run-cli.ts), built once per run.
          globalSetup: ['test/cli/global-setup.ts'],
          // One file per core, not Vitest's default of one fewer: many files spend much of their
          // time waiting on the processes they spawn (the CLI, a WXT build), which a single worker
          // on a 2-core CI machine would leave the second core idle for.
          maxWorkers: availableParallelism(),
          // Worker threads start cheaper than forked processes (measured: 14% less CPU over lib/,
          // ext/ and entrypoints/); no unit test changes process-wide state such as TZ or the cwd.
          pool: 'threads',
        },
      },
      {
        // Real browsers (test/e2e): their own test build, one browser at a time, after the unit
        // tests so they do not compete for the CPU.
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
