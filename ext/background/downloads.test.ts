import { resolveObjectURL } from 'node:buffer';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { downloadFile } from './downloads';
import { downloadedText, stubBrowserApis } from '../../test/support/background';

let browserApis: ReturnType<typeof stubBrowserApis>;
beforeEach(() => {
  fakeBrowser.reset();
  browserApis = stubBrowserApis();
});
afterEach(() => {
  vi.restoreAllMocks();
});

const FULL_KEY = 'VAULT-FULL-KEY-7f3a9c2e5b1d4f60a8e2';

describe('a CSV download in Chrome’s service worker (no URL.createObjectURL)', () => {
  it('never hands a data: URL to the downloads API, even for a small full-key file: a blob URL from the offscreen document', async () => {
    const csv = `\uFEFFinstance,key\r\nvault,${FULL_KEY}\r\nZoë,1\r\n`;
    await downloadFile(csv, 'keyatlas-all-2026-01-01.csv', { blobUrls: false, holdsKeyValues: true });
    const [download] = browserApis.downloads;
    // Chromium writes a download's URL (its first 8 KB) into the profile's History database.
    expect(download!.url).toMatch(/^blob:/);
    expect(download!.url).not.toContain(FULL_KEY);
    expect(download).toMatchObject({ filename: 'keyatlas-all-2026-01-01.csv', saveAs: false });
    expect(browserApis.offscreenDocuments).toHaveLength(1);
    expect(browserApis.offscreenDocuments[0]).toMatch(/\/offscreen\.html$/);
    expect(await downloadedText(download!.url)).toBe(csv);
  });

  it('frees the blob and erases a full-key export from the download history once it is saved', async () => {
    await downloadFile(`\uFEFFkey\r\n${FULL_KEY}\r\n`, 'keyatlas-vault-2026-01-01.csv', { blobUrls: false, holdsKeyValues: true });
    const [download] = browserApis.downloads;
    // Not while it runs: erasing a running download cancels it.
    expect(browserApis.erased).toEqual([]);
    browserApis.finishDownload(download!.id);
    expect(browserApis.erased).toEqual([download!.id]);
    await vi.waitFor(() => expect(resolveObjectURL(download!.url)).toBeUndefined());
  });

  it('keeps a masked export in the history (it holds no key values) but frees its blob', async () => {
    await downloadFile('\uFEFFkey\r\nVAUL…e2\r\n', 'keyatlas-vault-2026-01-01.csv', { blobUrls: false });
    const [download] = browserApis.downloads;
    browserApis.finishDownload(download!.id, 'interrupted');
    await vi.waitFor(() => expect(resolveObjectURL(download!.url)).toBeUndefined());
    expect(browserApis.erased).toEqual([]);
  });

  it('handles a large file the same way', async () => {
    const big = '\uFEFF' + 'x'.repeat(3 * 1024 * 1024) + '\r\n';
    await downloadFile(big, 'keyatlas-all-2026-01-01.csv', { blobUrls: false });
    expect(await downloadedText(browserApis.downloads[0]!.url)).toBe(big);
  });
});

describe('downloadFile where blob URLs exist (Firefox’s event page)', () => {
  it('mints the blob itself with the given type, and finishes a download that ended before it listened', async () => {
    vi.spyOn(fakeBrowser.downloads, 'download').mockImplementation(async ({ url }) => {
      browserApis.downloads.push({ id: 9, url, filename: 'evidence.json' });
      browserApis.finishDownload(9);
      return 9;
    });
    await downloadFile('{"a":1}', 'evidence.json', { mime: 'application/json', blobUrls: true, holdsKeyValues: true });
    const { url } = browserApis.downloads[0]!;
    expect(browserApis.offscreenDocuments).toEqual([]);
    expect(resolveObjectURL(url)).toBeUndefined();
    expect(browserApis.erased).toEqual([9]);
  });
});
