/** The path of a hash-routed single-page app (`/#/a/b?x=1` → `/a/b`); '' when the URL has no hash route. */
export function hashPath(url: URL): string {
  const route = url.hash.replace(/^#!?/, '');
  return route.startsWith('/') ? route.split('?')[0]! : '';
}

/**
 * `route` under the instance's base URL, path prefix kept (a console behind a reverse proxy at
 * `https://host/core/` lives at `/core/…`). Hash-routed consoles get the route after `#`.
 */
export function pageUnder(base: URL, route: string, routing: 'hash' | 'path'): string {
  const root = `${base.origin}${base.pathname.replace(/\/+$/, '')}`;
  return routing === 'hash' ? `${root}/#${route}` : `${root}${route}`;
}
