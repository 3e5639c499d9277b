import { browser } from 'wxt/browser';
import { BLOB_CHANNEL, type BlobChannelMessage } from '../../lib/blob-channel';
import { textDataUrl } from '../../lib/export-file';
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

export interface DownloadOptions {
  /** The file's media type (default: CSV). */
  mime?: string;
  /** Forces the URL kind; by default it is feature-detected. */
  blobUrls?: boolean;
}

/** Saves a file straight into the downloads folder, no dialog (SPEC §5 automation contract). */
export async function downloadFile(text: string, filename: string, { mime = CSV_MIME, blobUrls = canUseBlobUrls() }: DownloadOptions = {}): Promise<void> {
  if (blobUrls) {
    const url = URL.createObjectURL(new Blob([text], { type: mime }));
    return downloadThenRevoke(url, filename, () => URL.revokeObjectURL(url));
  }
  const dataUrl = textDataUrl(text, mime);
  if (dataUrl.length <= DATA_URL_LIMIT || !browser.offscreen) {
    await browser.downloads.download({ url: dataUrl, filename, saveAs: false });
    return;
  }
  const { url, revoke } = await mintInOffscreenDocument(text, mime);
  return downloadThenRevoke(url, filename, revoke);
}

/** A CSV export (`keyatlas-<instance|all>-<date>.csv`). */
export function downloadCsv(csv: string, filename: string, options: Omit<DownloadOptions, 'mime'> = {}): Promise<void> {
  return downloadFile(csv, filename, options);
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

async function mintInOffscreenDocument(text: string, mime: string): Promise<{ url: string; revoke: () => void }> {
  const offscreen = browser.offscreen!;
  if (!(await offscreen.hasDocument()))
    await offscreen.createDocument({
      url: browser.runtime.getURL('/offscreen.html'),
      reasons: [offscreen.Reason.BLOBS],
      justification: 'Turn a large export into a blob URL for chrome.downloads',
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
      channel.postMessage({ type: 'mint', id, text, mime } satisfies BlobChannelMessage);
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
