import type { Page } from 'playwright-core';

/** SPEC §5 automation contract: the console button's host element. */
export const BUTTON_HOST = '#keyatlas-export';

/** A mock vendor console (a small single-page app) with the KeyAtlas button in it. */
export class ConsolePage {
  constructor(readonly page: Page) {}

  /** Lands on the dashboard, then follows the app's own link to the key page (a client-side route change). */
  async openKeysPage(urls: { home: string; keys: string }): Promise<void> {
    await this.page.goto(urls.home);
    const link = new URL(urls.keys).hash || new URL(urls.keys).pathname;
    await this.page.locator(`a[href="${link}"]`).click();
    await this.waitForButton();
  }

  async waitForButton(): Promise<void> {
    await this.page.locator(BUTTON_HOST).waitFor({ state: 'attached' });
  }

  buttonCount(): Promise<number> {
    return this.page.locator(BUTTON_HOST).count();
  }

  /** Back to the dashboard (no anchor: no button), then forward to the key page again. */
  async leaveAndReturn(): Promise<void> {
    await this.page.goBack();
    await this.page.locator(BUTTON_HOST).waitFor({ state: 'detached' });
    await this.page.goForward();
    await this.waitForButton();
  }

  /** Clicks "Export all keys" inside the button's shadow root; resolves with the status it shows when done. */
  async export(): Promise<string> {
    await this.page.locator(`${BUTTON_HOST} button`).click();
    const status = this.page.locator(`${BUTTON_HOST} .status[data-kind="done"], ${BUTTON_HOST} .status[data-kind="error"]`);
    await status.waitFor();
    return (await status.textContent()) ?? '';
  }
}
