import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { testExtensionDir } from '../../scripts/build-test-extension';

const WEB_EXT = fileURLToPath(new URL('../../node_modules/.bin/web-ext', import.meta.url));

interface LintReport {
  summary: { errors: number; warnings: number; notices: number };
  errors: { code: string; message: string; file?: string }[];
  metadata: { id: string; manifestVersion: number };
}

/** Mozilla's add-on linter over the Firefox build (the one the Firefox e2e test installs). */
async function lint(sourceDir: string): Promise<LintReport> {
  const run = promisify(execFile)(WEB_EXT, ['lint', '--source-dir', sourceDir, '--output', 'json', '--no-config-discovery'], { maxBuffer: 16 * 1024 * 1024 });
  // web-ext exits non-zero when it finds errors; the JSON report on stdout is what tells them.
  const { stdout } = await run.catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
  return JSON.parse(stdout) as LintReport;
}

describe('web-ext lint', () => {
  it('finds no error in the Firefox MV3 build', async () => {
    const report = await lint(testExtensionDir('firefox'));
    expect(report.errors.map((e) => `${e.code} ${e.file ?? ''}: ${e.message}`)).toEqual([]);
    expect(report.summary.errors).toBe(0);
    expect(report.metadata).toMatchObject({ id: 'keyatlas@keyatlas.dev', manifestVersion: 3 });
  });

  it('reports errors when there are some (the check can fail)', async () => {
    // A folder with no manifest at all: the linter's own error, proving the JSON is read, not assumed.
    const report = await lint(join(testExtensionDir('firefox'), 'assets'));
    expect(report.summary.errors).toBeGreaterThan(0);
  });
});
