import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's violations on `page` (or inside the element `context` selects), one line each: rule,
 * what it asks for, and the offending elements' selectors. Never the elements' HTML, which may hold
 * key owners or URLs a screenshot policy would keep out of logs. Injected by CDP evaluation, which
 * extension pages' CSP (`script-src 'self'`) does not block.
 */
export async function axeViolations(page: Page, context?: string): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  return page.evaluate(async (selector) => {
    const axe = (window as unknown as { axe: typeof import('axe-core') }).axe;
    const { violations } = await axe.run(selector ?? document, { resultTypes: ['violations'] });
    return violations.map((v) => `${v.id} (${v.impact ?? 'n/a'}): ${v.help} at ${v.nodes.map((n) => n.target.join(' > ')).join(', ')}`);
  }, context);
}
