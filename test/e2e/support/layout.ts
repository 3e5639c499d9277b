import type { CDPSession, Page } from 'playwright-core';

/**
 * Layout facts of docs/design.md, measured in the real browser. Each returns the offences it
 * found as lines of text (empty when the layout holds), so a failing test names them.
 */

/** Names shown in the popup and the options page: they end in an ellipsis or break at spaces, never inside a word. */
export const NAME_SELECTORS = ['.key-owner', '.key-instance', '.key-description', '.instance-name', '.summary-label', '.verdict', '.filter', '.key-days'];

/**
 * Every element matching `selectors` that breaks a line inside a word (a line box starting after
 * a character that is not a space), or is cut without its whole text in a tooltip, or allows
 * mid-word breaking in its computed style.
 */
export function brokenWords(page: Page, selectors: readonly string[] = NAME_SELECTORS): Promise<string[]> {
  return page.evaluate((selectors) => {
    const found: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>(selectors.join(', '))) {
      const style = getComputedStyle(el);
      const text = el.textContent ?? '';
      if (style.overflowWrap === 'anywhere' || style.wordBreak === 'break-all') found.push(`${el.className} "${text}" may break anywhere (${style.overflowWrap}, ${style.wordBreak})`);
      // Cut by an ellipsis or a line clamp: the tooltip must hold the whole text.
      const cut = el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1;
      if (cut && el.title !== text.trim()) found.push(`${el.className} "${text}" is cut without its text in a tooltip`);
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const value = node.nodeValue ?? '';
        let previousTop: number | undefined;
        for (let i = 0; i < value.length; i++) {
          const range = document.createRange();
          range.setStart(node, i);
          range.setEnd(node, i + 1);
          const rect = range.getClientRects()[0];
          if (!rect || rect.width === 0) continue;
          // A new line box: it must start after a space (or at a space), never inside a word.
          if (previousTop !== undefined && rect.top > previousTop + 2 && !/\s/.test(value[i - 1] ?? ' ') && !/\s/.test(value[i]!))
            found.push(`${el.className} "${value}" breaks inside a word before "${value.slice(i, i + 8)}"`);
          previousTop = rect.top;
        }
      }
    }
    return found;
  }, selectors);
}

/** Elements other than `scroller` that scroll: the page has one scroll container. */
export function otherScrollers(page: Page, scroller: string): Promise<string[]> {
  return page.evaluate((scroller) => {
    const main = document.querySelector(scroller);
    return [...document.querySelectorAll<HTMLElement>('body *')]
      .filter((el) => el !== main && /(auto|scroll)/.test(getComputedStyle(el).overflowY) && el.scrollHeight > el.clientHeight + 1)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className} scrolls`);
  }, scroller);
}

/** Elements whose box reaches past the right edge of `container`'s content: nothing sticks out sideways. */
export function overflowing(page: Page, container: string): Promise<string[]> {
  return page.evaluate((container) => {
    const box = document.querySelector(container)!;
    const right = box.getBoundingClientRect().right - Number.parseFloat(getComputedStyle(box).paddingRight) + 1;
    return [...box.querySelectorAll<HTMLElement>('*')]
      .filter((el) => el.getClientRects().length > 0 && !el.closest('.visually-hidden') && el.getBoundingClientRect().right > right)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className} "${(el.textContent ?? '').slice(0, 30)}" ends at ${Math.round(el.getBoundingClientRect().right)} > ${Math.round(right)}`);
  }, container);
}

/**
 * Labels that touch or overlap their control: a label above its field ends at least 2 px above
 * it; a checkbox and its words sit side by side at least 4 px apart.
 */
export function touchingLabels(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const box = (el: Element) => el.getBoundingClientRect();
    for (const label of document.querySelectorAll<HTMLLabelElement>('label[for]')) {
      const control = document.getElementById(label.htmlFor);
      if (!control || control.getClientRects().length === 0 || label.closest('.file-picker')) continue;
      const [l, c] = [box(label), box(control)];
      if (c.top - l.bottom < 2) found.push(`"${label.textContent}" ends ${Math.round(c.top - l.bottom)} px above its control`);
    }
    for (const check of document.querySelectorAll('label.check')) {
      const input = check.querySelector('input');
      const words = check.querySelector('span');
      if (!input || !words) continue;
      const gap = box(words).left - box(input).right;
      if (gap < 4) found.push(`"${words.textContent}" is ${Math.round(gap)} px from its checkbox`);
    }
    return found;
  });
}

/** The top and bottom of the first element matching each selector, in page coordinates. */
export async function verticalBoxes<K extends string>(page: Page, selectors: Record<K, string>): Promise<Record<K, { top: number; bottom: number }>> {
  const boxes = await page.evaluate((selectors: Record<string, string>) => {
    const out: Record<string, { top: number; bottom: number }> = {};
    for (const [name, selector] of Object.entries(selectors)) {
      const rect = document.querySelector(selector)!.getBoundingClientRect();
      out[name] = { top: rect.top + scrollY, bottom: rect.bottom + scrollY };
    }
    return out;
  }, selectors as Record<string, string>);
  return boxes as Record<K, { top: number; bottom: number }>;
}

/** A box as x, y, width, height, rounded to whole pixels. */
export type Box = [number, number, number, number];

/** The boxes of every element matching `selector` on the page (a console's own controls). */
export function boxesOf(page: Page, selector: string): Promise<Box[]> {
  return page.$$eval(selector, (els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect();
      return [Math.round(r.x), Math.round(r.y), Math.round(r.width), Math.round(r.height)] as Box;
    }),
  );
}

/**
 * The line boxes of every element with `className` inside the console button's closed shadow root,
 * reached through the DevTools protocol (which sees closed roots; no page script can).
 */
export async function shadowLineBoxes(page: Page, className: string): Promise<number[]> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  try {
    type Node = { nodeId: number; attributes?: string[]; children?: Node[]; shadowRoots?: Node[] };
    const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: Node };
    const matches: number[] = [];
    const walk = (node: Node) => {
      const attrs = node.attributes ?? [];
      const cls = attrs[attrs.indexOf('class') + 1];
      if (attrs.includes('class') && cls?.split(' ').includes(className)) matches.push(node.nodeId);
      for (const child of [...(node.children ?? []), ...(node.shadowRoots ?? [])]) walk(child);
    };
    walk(root);
    const lines: number[] = [];
    for (const nodeId of matches) {
      const { quads } = (await cdp.send('DOM.getContentQuads', { nodeId })) as { quads: number[][] };
      lines.push(quads.length);
    }
    return lines;
  } finally {
    await cdp.detach();
  }
}
