/**
 * SPEC §5: `http://` to a host other than this machine sends the credential in clear text over the
 * network; the options form and the popup row warn about it. Loopback never leaves the machine.
 */
export function isPlainHttpRemote(url: string | undefined): boolean {
  if (!url) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'http:') return false;
  const host = parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return !(host === 'localhost' || host.endsWith('.localhost') || /^127(?:\.\d{1,3}){3}$/.test(host) || host === '::1');
}
