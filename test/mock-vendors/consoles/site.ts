import { readFileSync } from 'node:fs';
import type { ConsoleVendorId } from '../../../lib/consoles';
import { header, type MockReply, type MockRequest, type Route } from '../server';

/**
 * A vendor console as a small single-page app, served by the vendor's API mock on the same origin
 * (browser tests of the "Export all keys" button). Each key page is the scrubbed fixture of
 * lib/consoles/fixtures, so the mock and the selector tests show the same markup. Like the real
 * consoles, a page renders late (after `renderDelayMs`) and every route change re-renders, so the
 * anchor disappears on the dashboard and comes back on the key page.
 */
export interface ConsoleSite {
  vendor: ConsoleVendorId;
  title: string;
  /** Angular / AngularJS consoles route on `#/…`, React ones on the path. */
  routing: 'hash' | 'path';
  /** The landing route (a dashboard without any anchor). */
  home: string;
  /** route → fixture file (in lib/consoles/fixtures) rendered there. */
  pages: Record<string, string>;
  renderDelayMs: number;
  /** Whether this request is for the console (the shell) rather than the API or elsewhere. */
  servesConsole(path: string, req: MockRequest): boolean;
}

const fixturesDir = new URL('../../../lib/consoles/fixtures/', import.meta.url);

function fixtureBody(fileName: string): string {
  const html = readFileSync(new URL(fileName, fixturesDir), 'utf8');
  const body = /<body[^>]*>([\s\S]*)<\/body>/i.exec(html)?.[1];
  if (body === undefined) throw new Error(`${fileName} has no <body>`);
  return body.trim();
}

/** JSON that is safe inside an inline <script>. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

export function consoleShell(site: ConsoleSite): string {
  const href = (route: string) => (site.routing === 'hash' ? `#${route}` : route);
  const links = Object.keys(site.pages)
    .map((route) => `<li><a href="${href(route)}">${route}</a></li>`)
    .join('');
  const views = Object.fromEntries(Object.entries(site.pages).map(([route, file]) => [route, fixtureBody(file)]));
  const home = `<div class="mock-dashboard"><h1>${site.title}: Dashboard</h1><nav><ul>${links}</ul></nav></div>`;
  const config = { routing: site.routing, home: site.home, delay: site.renderDelayMs, views, homeView: home };
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${site.title}</title>
</head>
<body>
<div id="mock-console-app"></div>
<script>
(() => {
  const config = ${scriptJson(config)};
  const app = document.getElementById('mock-console-app');
  let rendering = 0;
  const route = () => (config.routing === 'hash' ? (location.hash.replace(/^#/, '').split('?')[0] || config.home) : location.pathname);
  function render() {
    const mine = ++rendering;
    const view = config.views[route()] ?? config.homeView;
    app.innerHTML = '<div class="mock-loading">Loading…</div>';
    setTimeout(() => {
      if (mine === rendering) app.innerHTML = view;
    }, config.delay);
  }
  if (config.routing === 'path') {
    document.addEventListener('click', (event) => {
      const link = event.target instanceof Element ? event.target.closest('a[href]') : null;
      if (!link) return;
      const url = new URL(link.getAttribute('href'), location.href);
      if (url.origin !== location.origin) return;
      event.preventDefault();
      history.pushState(null, '', url.pathname);
      render();
    });
    window.addEventListener('popstate', render);
  } else {
    window.addEventListener('hashchange', render);
  }
  render();
})();
</script>
</body>
</html>
`;
}

export function consoleRoute(site: ConsoleSite): Route {
  const page: MockReply = { text: consoleShell(site), headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } };
  return (req) => {
    const path = req.path.split('?')[0]!;
    return req.method === 'GET' && site.servesConsole(path, req) ? page : undefined;
  };
}

/** The Host header's name part, lower-cased (`API-t.example:443` → `api-t.example`). */
export function hostName(req: MockRequest): string {
  return (header(req, 'host') ?? '').replace(/:\d+$/, '').toLowerCase();
}
