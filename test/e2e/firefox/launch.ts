import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { testExtensionDir } from '../../../scripts/build-test-extension';
import { requireBrowser } from '../support/browsers';
import { Firefox } from './firefox';

/** Headless Firefox with this run's Firefox test build installed; profile and downloads under `root`. */
export function launchWithTestBuild(root: string): Promise<Firefox> {
  const extensionDir = testExtensionDir('firefox');
  const manifest = JSON.parse(readFileSync(join(extensionDir, 'manifest.json'), 'utf8')) as { browser_specific_settings: { gecko: { id: string } } };
  return Firefox.launch({
    executablePath: requireBrowser('firefox'),
    extensionDir,
    extensionId: manifest.browser_specific_settings.gecko.id,
    profileDir: join(root, 'profile'),
    downloadDir: join(root, 'downloads'),
  });
}
