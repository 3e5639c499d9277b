/**
 * `data:` URL of an export (CSV, or the evidence JSON) for `downloads.download` where blob URLs do
 * not exist (Chrome's service worker has no URL.createObjectURL). Base64 of the UTF-8 bytes, so
 * the BOM and every non-ASCII character arrive intact.
 */
export function textDataUrl(text: string, mime: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  // Chunked: String.fromCharCode(...bytes) overflows the call stack on large files.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `data:${mime};base64,${btoa(binary)}`;
}
