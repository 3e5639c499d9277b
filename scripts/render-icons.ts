/**
 * Renders the mark (assets/icon.svg, and assets/icon-small.svg drawn for 16 px) into the PNGs the
 * manifests name. Chromium is the rasterizer, so the PNGs match what the browser itself would
 * draw from the SVG; the output is committed, so building the extension needs no browser.
 *
 *   npm run icons
 */
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { ICON_SIZES } from '../ext/icons';
import { requireBrowser } from '../test/e2e/support/browsers';

const root = resolve(import.meta.dirname, '..');
const outDir = join(root, 'public', 'icon');

/** Below 32 px the full mark's grid and outline turn to mush; the small drawing is pixel-aligned. */
function sourceFor(size: number): string {
  return readFileSync(join(root, 'assets', size < 32 ? 'icon-small.svg' : 'icon.svg'), 'utf8');
}

async function main(): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const browser = await chromium.launch({ executablePath: requireBrowser('chromium'), args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ deviceScaleFactor: 1 });
    for (const size of ICON_SIZES) {
      const svg = sourceFor(size).replace(/<svg /, `<svg style="display:block;width:${size}px;height:${size}px" `);
      await page.setContent(`<!doctype html><body style="margin:0;background:transparent">${svg}</body>`);
      const file = join(outDir, `${size}.png`);
      await page.locator('svg').screenshot({ path: file, omitBackground: true });
      console.log(`wrote ${file}`);
    }
  } finally {
    await browser.close();
  }
}

await main();
