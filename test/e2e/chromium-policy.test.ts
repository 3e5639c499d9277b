import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testExtensionDir } from '../../scripts/build-test-extension';
import { requireBrowser, skipWithout } from './support/browsers';
import { launchChromium, unpackedExtensionId } from './support/chromium';
import { until } from './support/wait';

/** Where Debian's Chromium reads machine policies (Google Chrome: /etc/opt/chrome/policies/managed). */
const POLICY_DIR = '/etc/chromium/policies/managed';

/** What an organisation rolls out, with the mistakes an admin makes: a mistyped vendor, an out-of-range threshold. */
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

type ManagedArea = { chrome: { storage: { managed: { get(): Promise<Record<string, unknown>> } } } };

/** Why this machine cannot take a policy file (Chromium reads them only from /etc), or undefined. */
function policyDirProblem(): string | undefined {
  if (process.getuid?.() !== 0) return `not root: the policy file goes to ${POLICY_DIR}/`;
  try {
    // Left in place afterwards: an empty policy folder is Chromium's default layout, and another run may be using it.
    mkdirSync(POLICY_DIR, { recursive: true });
    const probe = join(POLICY_DIR, `.keyatlas-probe-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe);
    return undefined;
  } catch (error) {
    return `${POLICY_DIR}/ cannot be written: ${(error as Error).message}`;
  }
}

/**
 * The fleet path as a security team rolls it out (docs/it-teams.md): a machine policy file under
 * /etc, read by Chromium into the extension's `storage.managed`. Chromium checks the policy against
 * public/managed_schema.json first and drops a value that breaks it as a whole, silently; this
 * proves one faulty entry is dropped alone, by the extension, and shown in Options.
 */
describe.skipIf(skipWithout('chromium'))('a managed policy in real Chromium', () => {
  it('managed instances and fixed settings apply; a mistyped vendor drops that entry alone and Options lists it', async (ctx) => {
    const problem = policyDirProblem();
    if (problem) ctx.skip(`skipped: ${problem}`);
    const root = mkdtempSync(join(tmpdir(), 'keyatlas-e2e-policy-'));
    // The policy is machine-wide but names this run's build (its id comes from its folder): no other run's browser sees it.
    const extensionDir = testExtensionDir('chrome');
    const extensionId = unpackedExtensionId(extensionDir);
    const policyFile = join(POLICY_DIR, `keyatlas-e2e-${extensionId}.json`);
    let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
    try {
      writeFileSync(policyFile, JSON.stringify({ '3rdparty': { extensions: { [extensionId]: POLICY } } }));
      browser = await launchChromium({ executablePath: requireBrowser('chromium'), extensionDir, userDataDir: join(root, 'profile'), downloadDir: join(root, 'downloads') });
      const options = await browser.openPage('options.html');
      // Chromium hands the extension its policy shortly after it loads it; the bad entry too.
      const received = await until(
        () => options.evaluate(async () => ((await (globalThis as unknown as ManagedArea).chrome.storage.managed.get()) as { instances?: unknown[] }).instances),
        'the policy in storage.managed',
      );
      expect(received).toHaveLength(3);
      await options.reload();

      await options.getByTestId('policy-problems').waitFor();
      const problems = await options.getByTestId('policy-problems').locator('li').allTextContents();
      expect(problems).toEqual([expect.stringMatching(/^notificationThresholds\[1\]: /), expect.stringMatching(/^instances\[1\]\.vendor: must be one of metadefender-core, /)]);
      const managed = (name: string) => options.locator(`.instance-item[data-instance="${name}"] [data-testid="managed"]`);
      await expect.poll(() => managed('core-prod').count()).toBe(1);
      expect(await managed('cloud').count()).toBe(1);
      expect(await options.locator('.instance-item[data-instance="core-typo"]').count()).toBe(0);

      for (const [id, value] of [
        ['setting-refresh', '180'],
        ['setting-keys', 'omit'],
      ]) {
        const select = options.locator(`#${id}`);
        expect(await select.inputValue(), id).toBe(value);
        expect(await select.isDisabled(), id).toBe(true);
      }
      expect(browser.takeErrors()).toEqual([]);
    } finally {
      await browser?.close();
      rmSync(policyFile, { force: true });
      rmSync(root, { recursive: true, force: true });
    }
  });
});
