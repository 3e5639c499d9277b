/**
 * `data:` URL of a CSV file for `downloads.download` where blob URLs do not exist (Chrome's
 * service worker has no URL.createObjectURL). Base64 of the UTF-8 bytes, so the BOM and every
 * non-ASCII character arrive intact.
 */
export function csvDataUrl(csv: string): string {
  const bytes = new TextEncoder().encode(csv);
  let binary = '';
  // Chunked: String.fromCharCode(...bytes) overflows the call stack on large files.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `data:text/csv;charset=utf-8;base64,${btoa(binary)}`;
}
