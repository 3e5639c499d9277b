/** The path of a hash-routed single-page app (`/#/a/b?x=1` → `/a/b`); '' when the URL has no hash route. */
export function hashPath(url: URL): string {
  const route = url.hash.replace(/^#!?/, '');
  return route.startsWith('/') ? route.split('?')[0]! : '';
}
