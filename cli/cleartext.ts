import { baseUrl, type ResolvedInstance } from '../lib/config';

/** SPEC §4: plain http to another machine sends the credentials in clear text; it still runs (Core defaults to http on 8008). */
export function cleartextWarnings(instances: readonly ResolvedInstance[]): string[] {
  return instances.flatMap((inst) => {
    const url = new URL(baseUrl(inst));
    if (url.protocol !== 'http:' || isLoopback(url.hostname)) return [];
    return [`warning: ${inst.name}: ${url.origin} is plain http to another machine: its credentials and keys travel in clear text (use https)\n`];
  });
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
