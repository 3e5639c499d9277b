import { browser } from 'wxt/browser';
import { csvDataUrl } from '../../lib/export-file';

/**
 * Blob URLs where they exist (Firefox's event page: Firefox silently saves nothing for a data URL),
 * a data URL in Chrome's service worker, which has no URL.createObjectURL. Detected, not sniffed.
 */
export function canUseBlobUrls(): boolean {
  return typeof URL.createObjectURL === 'function' && !('ServiceWorkerGlobalScope' in globalThis);
}

/** Saves the CSV straight into the downloads folder, no dialog (SPEC §5 automation contract). */
export async function downloadCsv(csv: string, filename: string, { blobUrls = canUseBlobUrls() } = {}): Promise<void> {
  if (!blobUrls) {
    await browser.downloads.download({ url: csvDataUrl(csv), filename, saveAs: false });
    return;
  }
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  try {
    const id = await browser.downloads.download({ url, filename, saveAs: false });
    // Revoking before the download finishes would cut it off.
    const listener = (delta: { id: number; state?: { current?: string } }) => {
      if (delta.id !== id || (delta.state?.current !== 'complete' && delta.state?.current !== 'interrupted')) return;
      browser.downloads.onChanged.removeListener(listener);
      URL.revokeObjectURL(url);
    };
    browser.downloads.onChanged.addListener(listener);
  } catch (error) {
    URL.revokeObjectURL(url);
    throw error;
  }
}
