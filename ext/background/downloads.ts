import { browser } from 'wxt/browser';
import { BLOB_CHANNEL, type BlobChannelMessage } from '../../lib/blob-channel';
import { t } from '../i18n';

/**
 * Whether this context mints blob URLs itself (Firefox's event page); Chrome's service worker has
 * no URL.createObjectURL and asks its offscreen document. Detected, not sniffed.
 */
export function canUseBlobUrls(): boolean {
  return typeof URL.createObjectURL === 'function' && !('ServiceWorkerGlobalScope' in globalThis);
}

const CSV_MIME = 'text/csv;charset=utf-8';

export interface DownloadOptions {
  /** The file's media type (default: CSV). */
  mime?: string;
  /** The file holds key values (a full-key export): its entry is erased from the download history once it is saved. */
  holdsKeyValues?: boolean;
  /** Forces where the blob URL is made; by default it is feature-detected. */
  blobUrls?: boolean;
}

/**
 * Saves a file straight into the downloads folder, no dialog, always through a blob URL that is
 * revoked once the download ends. Never a `data:` URL: Chromium keeps the first 8 KB of a
 * download's URL in the profile's History database, which would keep part of the file there after
 * the file itself is deleted (and Firefox silently saves nothing for a data URL).
 */
export async function downloadFile(text: string, filename: string, { mime = CSV_MIME, holdsKeyValues = false, blobUrls = canUseBlobUrls() }: DownloadOptions = {}): Promise<void> {
  const { url, revoke } = blobUrls ? mintHere(text, mime) : await mintInOffscreenDocument(text, mime);
  let id: number;
  try {
    id = await browser.downloads.download({ url, filename, saveAs: false });
  } catch (error) {
    revoke();
    throw error;
  }
  await afterDownload(id, () => {
    revoke();
    // Erased only once it ended: erasing a running download cancels it in Chrome.
    if (holdsKeyValues) void browser.downloads.erase({ id }).catch(() => undefined);
  });
}

/** Runs `done` once when the download completes or is interrupted, even if that happened before the listener was added. */
async function afterDownload(id: number, done: () => void): Promise<void> {
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    browser.downloads.onChanged.removeListener(listener);
    done();
  };
  const listener = (delta: { id: number; state?: { current?: string } }) => {
    if (delta.id === id && isOver(delta.state?.current)) finish();
  };
  browser.downloads.onChanged.addListener(listener);
  const [item] = await browser.downloads.search({ id }).catch(() => []);
  if (isOver(item?.state)) finish();
}

function isOver(state: string | undefined): boolean {
  return state === 'complete' || state === 'interrupted';
}

function mintHere(text: string, mime: string): { url: string; revoke: () => void } {
  const url = URL.createObjectURL(new Blob([text], { type: mime }));
  return { url, revoke: () => URL.revokeObjectURL(url) };
}

async function mintInOffscreenDocument(text: string, mime: string): Promise<{ url: string; revoke: () => void }> {
  const offscreen = browser.offscreen;
  if (!offscreen) throw new Error(t('error_downloadHelper'));
  if (!(await offscreen.hasDocument()))
    await offscreen.createDocument({
      url: browser.runtime.getURL('/offscreen.html'),
      reasons: [offscreen.Reason.BLOBS],
      justification: 'Turn an export into a blob URL for chrome.downloads (never a data URL, which History keeps)',
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
