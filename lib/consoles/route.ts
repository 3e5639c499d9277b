/** The path of a hash-routed single-page app (`/#/a/b?x=1` → `/a/b`); '' when the URL has no hash route. */
export function hashPath(url: URL): string {
  const route = url.hash.replace(/^#!?/, '');
  return route.startsWith('/') ? route.split('?')[0]! : '';
}

/** Where a console keeps a page: a fixed route, after `#` for hash-routed single-page apps. */
export interface ConsoleRoute {
  route: `/${string}`;
  routing: 'hash' | 'path';
}

/**
 * The one way a console URL is built (open-console links, notification clicks): `origin`, reduced
 * to scheme, host and port, then the instance's path prefix as plain path segments (a console
 * behind a reverse proxy at `https://host/core/` lives at `/core/…`), then the vendor's route. No
 * part of the configured path can become a host: empty segments are dropped, so a path such as
 * `//evil.example` stays a path on `origin` instead of turning into a protocol-relative URL.
 * Throws when the result would leave `origin` (it cannot, and that is checked, not assumed).
 */
export function consoleUrl(origin: string, pathPrefix: string, page: ConsoleRoute): string {
  const home = new URL(origin).origin;
  const segments = pathPrefix.split('/').filter((segment) => segment !== '');
  const root = `${home}${segments.map((segment) => `/${segment}`).join('')}`;
  const url = page.routing === 'hash' ? `${root}/#${page.route}` : `${root}${page.route}`;
  if (new URL(url).origin !== home) throw new Error('console link would leave the instance origin');
  return url;
}
