import { browser } from 'wxt/browser';
import { BLOB_CHANNEL, type BlobChannelMessage } from '../../lib/blob-channel';
import { csvDataUrl } from '../../lib/export-file';
import { t } from '../i18n';

/**
 * Blob URLs where they exist (Firefox's event page: Firefox silently saves nothing for a data URL),
 * a data URL in Chrome's service worker, which has no URL.createObjectURL. Detected, not sniffed.
 */
export function canUseBlobUrls(): boolean {
  return typeof URL.createObjectURL === 'function' && !('ServiceWorkerGlobalScope' in globalThis);
}

/** Chrome fails a download whose data URL is longer than its 2 MB URL limit. */
const DATA_URL_LIMIT = 2 * 1024 * 1024;
const CSV_MIME = 'text/csv;charset=utf-8';

/** Saves the CSV straight into the downloads folder, no dialog (SPEC §5 automation contract). */
export async function downloadCsv(csv: string, filename: string, { blobUrls = canUseBlobUrls() } = {}): Promise<void> {
  if (blobUrls) {
    const url = URL.createObjectURL(new Blob([csv], { type: CSV_MIME }));
    return downloadThenRevoke(url, filename, () => URL.revokeObjectURL(url));
  }
  const dataUrl = csvDataUrl(csv);
  if (dataUrl.length <= DATA_URL_LIMIT || !browser.offscreen) {
    await browser.downloads.download({ url: dataUrl, filename, saveAs: false });
    return;
  }
  const { url, revoke } = await mintInOffscreenDocument(csv);
  return downloadThenRevoke(url, filename, revoke);
}

async function downloadThenRevoke(url: string, filename: string, revoke: () => void): Promise<void> {
  try {
    const id = await browser.downloads.download({ url, filename, saveAs: false });
    // Revoking before the download finishes would cut it off.
    const listener = (delta: { id: number; state?: { current?: string } }) => {
      if (delta.id !== id || (delta.state?.current !== 'complete' && delta.state?.current !== 'interrupted')) return;
      browser.downloads.onChanged.removeListener(listener);
      revoke();
    };
    browser.downloads.onChanged.addListener(listener);
  } catch (error) {
    revoke();
    throw error;
  }
}

async function mintInOffscreenDocument(text: string): Promise<{ url: string; revoke: () => void }> {
  const offscreen = browser.offscreen!;
  if (!(await offscreen.hasDocument()))
    await offscreen.createDocument({
      url: browser.runtime.getURL('/offscreen.html'),
      reasons: [offscreen.Reason.BLOBS],
      justification: 'Turn a large CSV export into a blob URL for chrome.downloads',
    });
  const channel = new BroadcastChannel(BLOB_CHANNEL);
  const id = crypto.randomUUID();
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(t('error_downloadHelper'))), 10_000);
      channel.onmessage = ({ data }: MessageEvent<BlobChannelMessage>) => {
        if (data.type !== 'minted' || data.id !== id) return;
        clearTimeout(timer);
        resolve(data.url);
      };
      channel.postMessage({ type: 'mint', id, text, mime: CSV_MIME } satisfies BlobChannelMessage);
    });
    return { url, revoke: () => postOnce({ type: 'revoke', url }) };
  } finally {
    channel.close();
  }
}

/** A message on a channel of its own, closed at once: a posted message is still delivered. */
function postOnce(message: BlobChannelMessage): void {
  const channel = new BroadcastChannel(BLOB_CHANNEL);
  channel.postMessage(message);
  channel.close();
}
