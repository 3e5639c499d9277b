import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's violations on `page` (within the `context` selector, or the whole document), one line
 * each: rule id, impact, target selectors. Extension pages allow only their own scripts
 * (CSP script-src 'self'), so axe goes in through a CDP evaluation, which page CSP does not cover,
 * not through a script tag.
 */
export async function axeViolations(page: Page, context?: string): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  return page.evaluate(async (selector) => {
    type Result = { violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[] };
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<Result> } }).axe;
    const { violations } = await axe.run(selector ?? document, { resultTypes: ['violations'] });
    return violations.map((v) => `${v.id} (${v.impact ?? 'no impact'}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }, context);
}
