import type { CDPSession, Page } from 'playwright-core';
import { until } from '../support/wait';

/** docs/contract.md#automation-contract: the console button's host element. */
export const BUTTON_HOST = '#keyatlas-export';

const EXPORT_LABEL = 'Export all keys';
const IDLE_STATUS = 'Uses your current console session';

type AxNode = { nodeId: string; role?: { value?: string }; name?: { value?: string }; childIds?: string[]; backendDOMNodeId?: number };

/**
 * A mock vendor console (a small single-page app) with the KeyAtlas button in it. The button lives in
 * a closed shadow root that no page script (Playwright's selectors included) can enter, so the
 * button is found and read through Chromium's accessibility tree, as a screen reader would, and
 * clicked with real mouse input at its place on screen (a trusted click, as the button requires).
 */
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

  /** The button's label and its status line as announced, once `ok` holds for them. */
  async announcement(what: string, ok: (label: string, status: string | null) => boolean): Promise<{ label: string; status: string | null }> {
    const cdp = await this.page.context().newCDPSession(this.page);
    try {
      const view = await announced(cdp, what, (v) => ok(v.button.name?.value ?? '', v.status));
      return { label: view.button.name?.value ?? '', status: view.status };
    } finally {
      await cdp.detach();
    }
  }

  /** Clicks "Export all keys"; resolves with the status it announces when done. */
  async export(): Promise<string> {
    const cdp = await this.page.context().newCDPSession(this.page);
    try {
      const ready = await announced(cdp, 'the console button', (view) => view.button.name?.value === EXPORT_LABEL);
      const { model } = (await cdp.send('DOM.getBoxModel', { backendNodeId: ready.button.backendDOMNodeId })) as { model: { border: number[] } };
      const [x1, y1, , , x3, y3] = model.border as [number, number, number, number, number, number];
      await this.page.mouse.click((x1 + x3) / 2, (y1 + y3) / 2);
      // Done or failed: the button is back to its label and the status is neither the idle nor a progress line.
      const done = await announced(cdp, 'the export status', (view) => view.button.name?.value === EXPORT_LABEL && !!view.status && view.status !== IDLE_STATUS);
      return done.status!;
    } finally {
      await cdp.detach();
    }
  }
}

async function axTree(cdp: CDPSession): Promise<AxNode[]> {
  return ((await cdp.send('Accessibility.getFullAXTree')) as { nodes: AxNode[] }).nodes;
}

/** KeyAtlas's button is the one labelled as such; its status is the `status` live region beside it. */
function readButton(nodes: AxNode[]): ButtonView | undefined {
  const button = nodes.find((n) => n.role?.value === 'button' && /^(Export all keys|Exporting…)$/.test(n.name?.value ?? ''));
  if (!button) return undefined;
  const byId = new Map(nodes.map((n) => [n.nodeId, n]));
  const text = (node: AxNode): string =>
    node.role?.value === 'StaticText' ? (node.name?.value ?? '') : (node.childIds ?? []).map((id) => byId.get(id)).map((n) => (n ? text(n) : '')).join('');
  const status = nodes.find((n) => n.role?.value === 'status');
  return { button, status: status ? text(status) : null };
}

type ButtonView = { button: AxNode; status: string | null };

function announced(cdp: CDPSession, what: string, ok: (view: ButtonView) => boolean): Promise<ButtonView> {
  return until(async () => {
    const view = readButton(await axTree(cdp));
    return view && ok(view) ? view : undefined;
  }, what);
}
