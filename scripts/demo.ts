// `npm run demo [-- --headless]`: local mock consoles of all five vendors, the real CLI export over
// them, then (when Chromium is installed) the same inventory through the real extension in Chromium.
// `npm run demo -- --serve`: the mock consoles only, kept running until Ctrl+C, to try the CLI and
// the extension against them by hand. `--dir DIR` writes the config and files there (default demo-output).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { main as keyatlas } from '../cli/keyatlas';
import { utcDate } from '../lib/utc-date';
import { ConsolePage } from '../test/e2e/pages/console-page';
import { OptionsPage } from '../test/e2e/pages/options-page';
import { PopupPage } from '../test/e2e/pages/popup-page';
import { findBrowser, installHint } from '../test/e2e/support/browsers';
import { launchChromium } from '../test/e2e/support/chromium';
import { browserConfigOf, consoleUrlsOf } from '../test/e2e/support/fleet';
import { startMockFleet, type MockFleet } from '../test/mock-vendors/index';
import { buildTestExtension } from './build-test-extension';

const args = process.argv.slice(2);
const dirArg = args.includes('--dir') ? args[args.indexOf('--dir') + 1] : 'demo-output';

/** A path as the user types it from here: relative inside this folder, absolute outside it. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') || isAbsolute(rel) ? resolve(path) : rel;
}

/** One shell word: quoted when it holds anything a shell would read specially. */
const shellWord = (word: string) => (/^[\w./:@=-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`);

/** The command a user can paste, from the repository folder: `keyatlas` is not on PATH until the package is installed. */
const cliCommand = (cliArgs: string[]) => ['npm', 'run', '--silent', 'keyatlas', '--', ...cliArgs].map(shellWord).join(' ');

async function demo(): Promise<number> {
  const outDir = dirArg;
  if (outDir === undefined || outDir.startsWith('--')) {
    console.error('--dir needs a folder: npm run demo -- --serve --dir my-demo');
    return 2;
  }
  const fleet = await startMockFleet();
  try {
    mkdirSync(outDir, { recursive: true });
    const configPath = join(outDir, 'keyatlas-demo-config.json');
    // The mock consoles' demo credentials are fake; a real config would use {"env": "VAR"} secrets.
    writeFileSync(configPath, JSON.stringify(fleet.config, null, 2) + '\n');
    const csvPath = join(outDir, `keyatlas-demo-${utcDate(new Date())}.csv`);
    const exportArgs = ['export', '--config', shown(configPath), '--out', shown(csvPath)];

    console.log('KeyAtlas demo: mock consoles of all five vendors are running on 127.0.0.1:');
    for (const inst of fleet.config.instances) console.log(`  ${String(inst.name).padEnd(10)} ${String(inst.vendor).padEnd(22)} ${String(inst.url)}`);
    if (args.includes('--serve')) return await serve(configPath, exportArgs);

    console.log(`\n$ ${cliCommand(exportArgs)}\n`);
    const code = await keyatlas(['export', '--config', configPath, '--out', csvPath]);
    console.log(`\nThe CSV is at ${shown(csvPath)} (keys masked; --keys full|omit to change).`);
    console.log('The mock consoles stop with this demo: `npm run demo -- --serve` keeps them running to try that command yourself.');

    const chromium = findBrowser('chromium');
    if (!chromium) {
      console.log(`\nChromium is not installed, so the demo stops before the browser extension. To see it too: ${installHint('chromium')}`);
      console.log('Or load it yourself: `npm run build`, then .output/chrome-mv3 (chrome://extensions → Developer mode → Load unpacked)');
      console.log('or .output/firefox-mv3 (about:debugging → This Firefox → Load Temporary Add-on). See README.md.');
      return code;
    }
    const headless = args.includes('--headless') || !process.env.DISPLAY;
    return (await extensionDemo(fleet, chromium, headless, outDir)) || code;
  } finally {
    await fleet.close();
  }
}

/** Mocks only, until Ctrl+C: what to type to read them with the CLI and with the extension. */
async function serve(configPath: string, exportArgs: string[]): Promise<number> {
  console.log(`\nThey keep running until you press Ctrl+C. Their config (fake demo credentials) is ${shown(configPath)}.`);
  console.log('\nThe command line, in another terminal in this folder:');
  console.log(`  $ ${cliCommand(exportArgs)}`);
  console.log(`  $ ${cliCommand(['summary', '--config', shown(configPath)])}`);
  console.log('\nThe extension, as a test build that may reach 127.0.0.1 without asking:');
  console.log('  $ npx tsx scripts/build-test-extension.ts chrome firefox');
  console.log('  Chromium: chrome://extensions → Developer mode → Load unpacked → .output/chrome-mv3-e2e');
  console.log('  Firefox:  about:debugging#/runtime/this-firefox → Load Temporary Add-on… → .output/firefox-mv3-e2e/manifest.json');
  console.log(`  Then in its options page, "Import a config file" → ${shown(configPath)}; the popup lists the five instances.`);
  await interrupted();
  console.log('\nStopping the mock consoles.');
  return 0;
}

function interrupted(): Promise<void> {
  return new Promise((done) => {
    process.once('SIGINT', () => done());
    process.once('SIGTERM', () => done());
  });
}

/** The extension as a user meets it: config imported in the options page, the popup, a console button, the CSV. */
async function extensionDemo(fleet: MockFleet, executablePath: string, headless: boolean, outDir: string): Promise<number> {
  console.log(`\nThe same inventory through the KeyAtlas extension in ${headless ? 'headless ' : ''}Chromium (${executablePath}):`);
  const { dir, built } = await buildTestExtension('chrome', { ifStale: true });
  console.log(`  ${built ? 'built' : 'reusing'} the test build (host permissions for the mocks) in ${shown(dir)}`);
  const profile = mkdtempSync(join(tmpdir(), 'keyatlas-demo-profile-'));
  const downloadDir = resolve(outDir, 'extension-downloads');
  // A file left by an earlier run would make Chromium save this one as "… (1).csv".
  rmSync(downloadDir, { recursive: true, force: true });
  const browser = await launchChromium({ executablePath, extensionDir: dir, userDataDir: profile, downloadDir, headless, handleSignals: false });
  try {
    const names = fleet.config.instances.map((inst) => String(inst.name));
    const options = new OptionsPage(await browser.openPage('options.html'));
    const since = new Date();
    await options.importConfig(browserConfigOf(fleet), 'keyatlas-demo-config.json');
    console.log('  imported the demo config in the options page; the extension reads every instance');
    const popup = new PopupPage(await browser.openPage('popup.html'));
    const rows = await popup.waitForRefreshAfter(since, names);

    if (!headless) {
      const consolePage = new ConsolePage(await browser.context.newPage());
      await consolePage.openKeysPage(consoleUrlsOf(fleet, 'metadefender-core'));
      await popup.page.bringToFront();
      console.log('\nChromium is open: the popup (as a tab), the options page and the MetaDefender Core console with its');
      console.log('"Export all keys" button. Downloads go to ' + shown(downloadDir) + '.');
      console.log('Close the Chromium window, or press Ctrl+C here, to stop the demo.');
      await closedOrInterrupted(browser.context);
      return 0;
    }

    const result = await popup.exportAll();
    const file = await browser.downloads.next('the export-all file', { keep: true });
    const s = await popup.summary();
    console.log(`  the popup shows: ${s.expired} expired · ${s.within7} expire within 7 days · ${s.within30} within 30 days · ${s.never} never expire`);
    for (const row of rows) console.log(`    ${row.name.padEnd(10)} ${row.error ? `error: ${row.error}` : 'read'}`);
    console.log(`  "Export CSV" in the popup: ${result}`);
    console.log(`\nThe extension's CSV is at ${shown(file.path)}.`);
    console.log('With a display, `npm run demo` opens Chromium for you to try it (`--headless` keeps it hidden).');
    return 0;
  } catch (error) {
    console.error(`\nThe extension part of the demo failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await browser.close().catch(() => undefined);
    rmSync(profile, { recursive: true, force: true });
  }
}

function closedOrInterrupted(context: BrowserContext): Promise<void> {
  return Promise.race([new Promise<void>((done) => context.once('close', () => done())), interrupted()]);
}

process.exitCode = await demo();
