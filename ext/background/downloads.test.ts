import { resolveObjectURL } from 'node:buffer';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { downloadCsv } from './downloads';
import { downloadedText, stubBrowserApis } from '../../test/support/background';

let browserApis: ReturnType<typeof stubBrowserApis>;
beforeEach(() => {
  fakeBrowser.reset();
  browserApis = stubBrowserApis();
});
afterEach(() => {
  vi.restoreAllMocks();
  Reflect.deleteProperty(fakeBrowser, 'offscreen');
});

/** Chrome's offscreen API whose document is the real entrypoint, loaded into this process. */
function fakeOffscreen() {
  const created: string[] = [];
  let open = false;
  Object.assign(fakeBrowser, {
    offscreen: {
      Reason: { BLOBS: 'BLOBS' },
      hasDocument: async () => open,
      createDocument: async ({ url }: { url: string }) => {
        created.push(url);
        await import('../../entrypoints/offscreen/main');
        open = true;
      },
    },
  });
  return created;
}

describe('downloadCsv without blob URLs (Chrome service worker)', () => {
  it('uses a data URL for an ordinary file', async () => {
    const created = fakeOffscreen();
    await downloadCsv('\uFEFFa,b\r\nZoë,1\r\n', 'keyatlas-all-2026-01-01.csv', { blobUrls: false });
    expect(browserApis.downloads[0]!.url).toMatch(/^data:text\/csv;charset=utf-8;base64,/);
    expect(await downloadedText(browserApis.downloads[0]!.url)).toBe('\uFEFFa,b\r\nZoë,1\r\n');
    expect(created).toEqual([]);
  });

  it('hands a file too large for a data URL to the offscreen document and downloads its blob URL', async () => {
    const created = fakeOffscreen();
    const big = '\uFEFF' + 'x'.repeat(3 * 1024 * 1024) + '\r\n';
    await downloadCsv(big, 'keyatlas-all-2026-01-01.csv', { blobUrls: false });
    expect(created).toHaveLength(1);
    expect(created[0]).toMatch(/\/offscreen\.html$/);
    const [download] = browserApis.downloads;
    expect(download!.url).toMatch(/^blob:/);
    expect(download).toMatchObject({ filename: 'keyatlas-all-2026-01-01.csv', saveAs: false });
    expect(await downloadedText(download!.url)).toBe(big);

    // The finished download lets the offscreen document free the blob, over a channel closed at once.
    browserApis.finishDownload(download!.id);
    await vi.waitFor(() => expect(resolveObjectURL(download!.url)).toBeUndefined());
  });
});
