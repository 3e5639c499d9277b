/**
 * docs/contract.md#output-and-warnings: `http://` to a host other than this machine sends the credential in clear text over
 * the network. The CLI prints a warning line, the options form and the popup row show one; loopback
 * never leaves the machine.
 */
export function isPlainHttpRemote(url: string | undefined): boolean {
  if (!url) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === 'http:' && !isLoopback(parsed.hostname);
}

function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    /^127(\.\d{1,3}){3}$/.test(host) ||
    host === '[::1]' ||
    // The URL parser writes ::ffff:127.x.y.z as ::ffff:7fxx:yyzz.
    /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(host)
  );
}
