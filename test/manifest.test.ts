import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readdir, readFile, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ICON_SIZES } from '../ext/icons';
import { TEST_HOSTS, testExtensionDir } from '../scripts/build-test-extension';

/**
 * The manifests the real build writes (docs/contract.md#firefox). One build per browser, to stay quick: Chrome as
 * released, Firefox with the test-host switch (the switch is browser-independent code in
 * wxt.config.ts). The Firefox one is the test build the browser tests install, which `web-ext lint`
 * checks below: under `npm test` the e2e project's global setup has built it for this run already
 * (KEYATLAS_E2E_BUILD_DIR); run alone, this file builds it itself. Each build of this file has its
 * own `--mode`, hence its own `.output/<browser>-mv3-<mode>` folder, so this never disturbs a
 * developer's own build; the folders go when the tests end.
 */
const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');
const wxt = path.join(root, 'node_modules', '.bin', 'wxt');

type Manifest = Record<string, unknown> & {
  manifest_version: number;
  permissions?: string[];
  host_permissions?: string[];
  optional_host_permissions?: string[];
  optional_permissions?: string[];
  background?: { service_worker?: string; scripts?: string[] };
  content_security_policy?: { extension_pages?: string };
  browser_specific_settings?: { gecko?: Record<string, unknown> };
};

const outputDir = path.join(root, '.output');
const MODES = { chrome: 'keyatlas-manifest', firefox: 'keyatlas-manifest-hosts', zip: 'keyatlas-zip-refusal' };
const outputOf = (browser: 'chrome' | 'firefox', mode: string) => path.join(outputDir, `${browser}-mv3-${mode}`);

async function build(browser: 'chrome' | 'firefox', mode: string, testHosts?: string): Promise<{ manifest: Manifest; dir: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.KEYATLAS_TEST_HOSTS;
  if (testHosts) env.KEYATLAS_TEST_HOSTS = testHosts;
  await run(wxt, ['build', '-b', browser, '--mode', mode], { cwd: root, env, maxBuffer: 16 * 1024 * 1024 });
  return read(outputOf(browser, mode));
}

async function read(dir: string): Promise<{ manifest: Manifest; dir: string }> {
  return { manifest: JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as Manifest, dir };
}

/** Width and height from a PNG's IHDR chunk, which must follow the signature. */
async function pngSize(file: string): Promise<{ width: number; height: number }> {
  const bytes = await readFile(file);
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(bytes.toString('latin1', 12, 16)).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

const builds: Record<'chrome' | 'firefox', { manifest: Manifest; dir: string }> = {} as never;

beforeAll(async () => {
  // One after another: concurrent builds would share WXT's generated .wxt/ folder.
  builds.chrome = await build('chrome', MODES.chrome);
  builds.firefox = process.env.KEYATLAS_E2E_BUILD_DIR ? await read(testExtensionDir('firefox')) : await build('firefox', MODES.firefox, TEST_HOSTS);
}, 180_000);

afterAll(async () => {
  await Promise.all([outputOf('chrome', MODES.chrome), outputOf('firefox', MODES.firefox), outputOf('chrome', MODES.zip)].map((dir) => rm(dir, { recursive: true, force: true })));
  // .output itself only if these builds made it: a developer's own builds stay.
  await rmdir(outputDir).catch(() => undefined);
});

describe.each(['chrome', 'firefox'] as const)('%s release manifest', (browser) => {
  const manifest = () => builds[browser].manifest;

  it('is Manifest V3 named KeyAtlas (through _locales), with the permissions the background needs', async () => {
    expect(manifest().manifest_version).toBe(3);
    // A release name comes from _locales; the Firefox build here carries test hosts and says so (docs/contract.md#build-variables).
    expect(manifest().name).toBe(browser === 'firefox' ? 'KeyAtlas (test build)' : '__MSG_extName__');
    expect(manifest().description).toBe('__MSG_extDescription__');
    const english = JSON.parse(await readFile(path.join(builds[browser].dir, '_locales', 'en', 'messages.json'), 'utf8')) as Record<string, { message: string }>;
    expect(english.extName?.message).toBe('KeyAtlas');
    // offscreen only where the background is a service worker without URL.createObjectURL.
    // The Firefox build here is a test build (KEYATLAS_TEST_HOSTS): it holds notifications from install.
    const expected = ['alarms', 'downloads', 'scripting', 'storage', 'unlimitedStorage', 'webRequest', ...(browser === 'chrome' ? ['offscreen'] : ['notifications'])];
    expect([...(manifest().permissions ?? [])].sort()).toEqual(expected.sort());
  });

  it('keeps hosts optional, granted per instance', () => {
    expect(manifest().optional_host_permissions).toEqual(['https://*/*', 'http://*/*']);
    // Notifications are asked for only when the user turns them on in the options page.
    expect(manifest().optional_permissions).toEqual(browser === 'chrome' ? ['notifications'] : undefined);
    expect(JSON.stringify(manifest())).not.toContain('<all_urls>');
    expect(manifest().content_scripts ?? []).toEqual([]);
  });

  it('names a PNG of the real pixel size for every icon size, in icons and on the toolbar button', async () => {
    const sizes = ICON_SIZES.map(String);
    const action = manifest().action as { default_icon?: Record<string, string>; default_title?: string };
    for (const icons of [manifest().icons as Record<string, string>, action.default_icon!]) {
      expect(Object.keys(icons).sort()).toEqual([...sizes].sort());
      for (const size of sizes) expect(await pngSize(path.join(builds[browser].dir, icons[size]!))).toEqual({ width: Number(size), height: Number(size) });
    }
    expect(action.default_title).toBe('__MSG_extName__');
  });

  it('has a strict CSP for extension pages', () => {
    expect(manifest().content_security_policy).toEqual({ extension_pages: "script-src 'self'; object-src 'self'" });
  });
});

describe('browser specifics', () => {
  it('a release build asks for no host at install', () => {
    expect(builds.chrome.manifest.host_permissions).toBeUndefined();
  });

  it('chrome: a service worker background, no gecko settings, the minimum version of offscreen.hasDocument', () => {
    expect(builds.chrome.manifest.background).toEqual({ service_worker: 'background.js' });
    expect(builds.chrome.manifest.minimum_chrome_version).toBe('116');
    expect(builds.firefox.manifest.minimum_chrome_version).toBeUndefined();
  });

  it('chrome: the managed-storage schema is declared and shipped; Firefox reads policies.json 3rdparty without one', async () => {
    expect(builds.chrome.manifest.storage).toEqual({ managed_schema: 'managed_schema.json' });
    const shipped = JSON.parse(await readFile(path.join(builds.chrome.dir, 'managed_schema.json'), 'utf8')) as { properties: Record<string, unknown> };
    expect(Object.keys(shipped.properties).sort()).toEqual(['defaultKeyMode', 'instances', 'maxKeyAgeDays', 'notificationThresholds', 'refreshPeriodMinutes', 'requirePassphrase']);
    expect(builds.firefox.manifest.storage).toBeUndefined();
    expect(builds.chrome.manifest.browser_specific_settings).toBeUndefined();
  });

  it('firefox: an event page background, gecko id, data collection declared and the minimum versions that read it', () => {
    expect(builds.firefox.manifest.background).toEqual({ scripts: ['background.js'] });
    expect(builds.firefox.manifest.browser_specific_settings).toEqual({
      gecko: {
        id: 'keyatlas@keyatlas.dev',
        strict_min_version: '140.0',
        data_collection_permissions: { required: ['none'] },
      },
      gecko_android: { strict_min_version: '142.0' },
    });
  });

  it('KEYATLAS_TEST_HOSTS adds its patterns as host permissions', () => {
    expect(builds.firefox.manifest.host_permissions).toEqual(['http://127.0.0.1/*', 'http://*.keyatlas.test/*']);
  });

  it('npm run zip refuses to package while KEYATLAS_TEST_HOSTS is set', async () => {
    // The name WXT gives the package: its zip.artifactTemplate `{{name}}-{{version}}-{{browser}}.zip`.
    const { name, version } = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { name: string; version: string };
    const zip = path.join(outputDir, `${name}-${version}-chrome.zip`);
    const { stat } = await import('node:fs/promises');
    const zipState = () => stat(zip).then((s) => s.mtimeMs, () => 'absent' as const);
    const before = await zipState();
    const env: NodeJS.ProcessEnv = { ...process.env, KEYATLAS_TEST_HOSTS: TEST_HOSTS };
    const refused = await run(wxt, ['zip', '-b', 'chrome', '--mode', MODES.zip], { cwd: root, env, maxBuffer: 16 * 1024 * 1024 }).then(
      () => undefined,
      (error: { stdout?: string; stderr?: string }) => `${error.stdout ?? ''}${error.stderr ?? ''}`,
    );
    expect(refused).toContain('release packages never carry test hosts');
    // Neither written nor replaced (an earlier release zip may lie there).
    expect(await zipState()).toBe(before);
  }, 120_000);
});

interface Finding {
  code: string;
  message: string;
  file?: string;
}
interface LintReport {
  summary: { errors: number; warnings: number; notices: number };
  errors: Finding[];
  warnings: Finding[];
  notices: Finding[];
  metadata: { id: string; manifestVersion: number };
}

/** Mozilla's add-on linter, here rather than among the browser tests: it needs no browser, so it runs beside the other unit files. */
async function lint(sourceDir: string): Promise<LintReport> {
  const webExt = path.join(root, 'node_modules', '.bin', 'web-ext');
  const linting = run(webExt, ['lint', '--source-dir', sourceDir, '--output', 'json', '--no-config-discovery'], { maxBuffer: 16 * 1024 * 1024 });
  // web-ext exits non-zero when it finds errors; the JSON report on stdout is what tells them.
  const { stdout } = await linting.catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
  return JSON.parse(stdout) as LintReport;
}

describe('web-ext lint', () => {
  it('finds no error in the Firefox MV3 build, and warns only of the innerHTML in Preact', async () => {
    const report = await lint(builds.firefox.dir);
    expect(report.errors.map((e) => `${e.code} ${e.file ?? ''}: ${e.message}`)).toEqual([]);
    expect(report.summary.errors).toBe(0);
    expect(report.metadata).toMatchObject({ id: 'keyatlas@keyatlas.dev', manifestVersion: 3 });
    expect(report.notices).toEqual([]);
    // Preact's renderer assigns innerHTML for dangerouslySetInnerHTML, which no KeyAtlas component
    // uses; any other warning (a manifest key the minimum versions cannot read, say) fails here.
    expect(report.warnings.map((w) => `${w.code} ${w.file ?? ''}`)).toEqual([expect.stringMatching(/^UNSAFE_VAR_ASSIGNMENT chunks\/[\w-]+\.js$/)]);
    expect(readFileSync(path.join(builds.firefox.dir, report.warnings[0]!.file!), 'utf8')).toContain('__html');
  }, 60_000);

  it('reports errors when there are some (the check can fail)', async () => {
    // A folder with no manifest at all: the linter's own error, proving the JSON is read, not assumed.
    const report = await lint(path.join(builds.firefox.dir, 'assets'));
    expect(report.summary.errors).toBeGreaterThan(0);
  }, 60_000);
});
