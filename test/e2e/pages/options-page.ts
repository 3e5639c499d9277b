import type { Page } from 'playwright-core';

/** The options page: config import (docs/contract.md#test-ids `import-config`) and the passphrase lock. */
export class OptionsPage {
  constructor(readonly page: Page) {}

  /** Chooses the config file in `import-config`; resolves with the page's report, rejects on an error report. */
  async importConfig(config: unknown, fileName = 'keyatlas-config.json'): Promise<string> {
    const input = this.page.getByTestId('import-config');
    await input.setInputFiles({ name: fileName, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(config, null, 2)) });
    const result = this.page.getByTestId('import-result');
    await result.waitFor();
    const text = (await result.textContent()) ?? '';
    if ((await result.getAttribute('role')) === 'alert') throw new Error(`the import failed: ${text}`);
    return text;
  }

  async setPassphrase(passphrase: string): Promise<void> {
    await this.page.locator('input[name="new-passphrase"]').fill(passphrase);
    await this.page.locator('input[name="confirm-passphrase"]').fill(passphrase);
    await this.page.getByRole('button', { name: 'Set passphrase' }).click();
    // Set and unlocked for this browser session: the page offers to lock now.
    await this.page.getByRole('button', { name: 'Lock now' }).waitFor();
  }
}
