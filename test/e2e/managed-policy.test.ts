import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testExtensionDir } from '../../scripts/build-test-extension';
import { Firefox } from './firefox/firefox';
import { requireBrowser, skipWithout } from './support/browsers';
import { launchChromium, unpackedExtensionId, type ExtensionBrowser } from './support/chromium';
import { until } from './support/wait';

/**
 * The fleet path as a security team rolls it out (docs/it-teams.md): a machine policy file, which
 * the browser reads into the extension's `storage.managed`. Chromium first checks it against
 * public/managed_schema.json and silently drops a value that breaks it as a whole; these prove that
 * one faulty entry is dropped alone, by the extension, and listed in Options. Policy files live
 * under /etc and /usr: each test writes its own, names only an extension id of its own and removes
 * the file in a `finally`; where it cannot write there, it skips and says why.
 */

/** Where Debian's Chromium reads machine policies (Google Chrome: /etc/opt/chrome/policies/managed). */
const CHROMIUM_POLICY_DIR = '/etc/chromium/policies/managed';
/** Firefox on Linux prefers this one to the installation's `distribution/policies.json`. */
const FIREFOX_SYSTEM_POLICY = '/etc/firefox/policies/policies.json';

/** What an organisation rolls out, with two mistakes an admin makes: a mistyped vendor, an out-of-range threshold. */
const POLICY = {
  instances: [
    { name: 'core-prod', vendor: 'metadefender-core', url: 'https://core.corp.example:8008' },
    { name: 'core-typo', vendor: 'metadefender-cor', url: 'https://core2.corp.example:8008' },
    { name: 'cloud', vendor: 'metadefender-cloud' },
  ],
  refreshPeriodMinutes: 180,
  defaultKeyMode: 'omit',
  notificationThresholds: [30, 400],
};

/** What the extension received, read in one of its pages (both browsers have `chrome`, Firefox also `browser`). */
const MANAGED_INSTANCES = `async () => (await chrome.storage.managed.get()).instances`;

interface OptionsView {
  problems: string[];
  instances: { name: string; managed: boolean }[];
  refresh: { value: string; disabled: boolean };
  keys: { value: string; disabled: boolean };
}

/** Options once it shows the settings (with the policy's problems) and instances (the list reads "none" until they arrive). */
const READ_OPTIONS = `() => {
  const problems = document.querySelector('[data-testid="policy-problems"]');
  if (!problems || !document.querySelector('.instance-item')) return null;
  const select = (id) => ({ value: document.getElementById(id).value, disabled: document.getElementById(id).disabled });
  return {
    problems: [...problems.querySelectorAll('li')].map((li) => li.textContent),
    instances: [...document.querySelectorAll('.instance-item')].map((li) => ({ name: li.dataset.instance, managed: !!li.querySelector('[data-testid="managed"]') })),
    refresh: select('setting-refresh'),
    keys: select('setting-keys'),
  };
}`;

function expectPolicyApplied(view: OptionsView): void {
  expect(view.instances).toEqual([
    { name: 'core-prod', managed: true },
    { name: 'cloud', managed: true },
  ]);
  expect(view.problems).toEqual([expect.stringMatching(/^notificationThresholds\[1\]: /), expect.stringMatching(/^instances\[1\]\.vendor: must be one of metadefender-core, /)]);
  expect(view.refresh).toEqual({ value: '180', disabled: true });
  expect(view.keys).toEqual({ value: 'omit', disabled: true });
}

/** Why `file` cannot be written here, or undefined once its folder exists and takes a file. */
function cannotWrite(file: string): string | undefined {
  if (process.getuid?.() !== 0) return `not root: the policy file goes to ${file}`;
  try {
    // The folder is left in place afterwards: it is the browser's own layout, and another run may be using it.
    mkdirSync(dirname(file), { recursive: true });
    const probe = join(dirname(file), `.keyatlas-probe-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe);
    return undefined;
  } catch (error) {
    return `${dirname(file)} cannot be written: ${(error as Error).message}`;
  }
}

describe.skipIf(skipWithout('chromium'))('a managed policy in real Chromium', () => {
  it('managed instances and fixed settings apply; a mistyped vendor drops that entry alone and Options lists it', async (ctx) => {
    // The id of an unpacked extension comes from its folder, this run's own: no other run's browser sees the policy.
    const extensionDir = testExtensionDir('chrome');
    const extensionId = unpackedExtensionId(extensionDir);
    const policyFile = join(CHROMIUM_POLICY_DIR, `keyatlas-e2e-${extensionId}.json`);
    const problem = cannotWrite(policyFile);
    if (problem) ctx.skip(`skipped: ${problem}`);
    const root = mkdtempSync(join(tmpdir(), 'keyatlas-e2e-policy-chromium-'));
    let browser: ExtensionBrowser | undefined;
    try {
      writeFileSync(policyFile, JSON.stringify({ '3rdparty': { extensions: { [extensionId]: POLICY } } }));
      browser = await launchChromium({ executablePath: requireBrowser('chromium'), extensionDir, userDataDir: join(root, 'profile'), downloadDir: join(root, 'downloads') });
      const options = await browser.openPage('options.html');
      // Chromium hands the extension its policy shortly after loading it; the faulty entry too.
      const received = await until(() => options.evaluate<unknown[] | undefined>(`(${MANAGED_INSTANCES})()`), 'the policy in storage.managed');
      expect(received).toHaveLength(3);
      await options.reload();
      expectPolicyApplied(await until(() => options.evaluate<OptionsView | null>(`(${READ_OPTIONS})()`), 'the options page with the policy applied'));
      expect(browser.takeErrors()).toEqual([]);
    } finally {
      await browser?.close();
      rmSync(policyFile, { force: true });
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe.skipIf(skipWithout('firefox'))('a managed policy in real Firefox', () => {
  it('policies.json 3rdparty: managed instances and fixed settings apply; the faulty entry is listed in Options', async (ctx) => {
    const executablePath = requireBrowser('firefox');
    const policyFile = join(dirname(realpathSync(executablePath)), 'distribution', 'policies.json');
    // A policies.json already there is the machine's own (or another run's): it is never overwritten.
    const problem = [FIREFOX_SYSTEM_POLICY, policyFile].map((file) => existsSync(file) && `${file} exists already`).find(Boolean) || cannotWrite(policyFile);
    if (problem) ctx.skip(`skipped: ${problem}`);
    const root = mkdtempSync(join(tmpdir(), 'keyatlas-e2e-policy-firefox-'));
    // Firefox keys the policy by add-on id, machine-wide: a copy with an id of its own keeps it from any other run's Firefox.
    const extensionDir = join(root, 'extension');
    cpSync(testExtensionDir('firefox'), extensionDir, { recursive: true });
    const extensionId = `keyatlas-policy-${process.pid}@keyatlas.test`;
    const manifestFile = join(extensionDir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { browser_specific_settings: { gecko: { id: string } } };
    manifest.browser_specific_settings.gecko.id = extensionId;
    writeFileSync(manifestFile, JSON.stringify(manifest));
    let firefox: Firefox | undefined;
    try {
      writeFileSync(policyFile, JSON.stringify({ policies: { '3rdparty': { Extensions: { [extensionId]: POLICY } } } }));
      firefox = await Firefox.launch({ executablePath, extensionDir, extensionId, profileDir: join(root, 'profile'), downloadDir: join(root, 'downloads') });
      // Read once at start-up: the machine-wide file goes as soon as this Firefox runs.
      rmSync(policyFile, { force: true });
      const options = await firefox.newTab('options.html');
      const received = await until(() => options.evaluate<unknown[] | undefined>(MANAGED_INSTANCES), 'the policy in storage.managed');
      expect(received).toHaveLength(3);
      await options.reload();
      expectPolicyApplied(await options.waitFor<OptionsView>(READ_OPTIONS, 'the options page with the policy applied'));
      expect(await firefox.takeErrors()).toEqual([]);
    } finally {
      rmSync(policyFile, { force: true });
      await firefox?.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
