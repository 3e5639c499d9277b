import { readFileSync } from 'node:fs';
import type { ConsoleVendorId } from '../../../lib/consoles';
import { header, type MockReply, type MockRequest, type Route } from '../server';

/**
 * A vendor console as a small single-page app, served by the vendor's API mock on the same origin
 * (browser tests of the "Export all keys" button). Each key page is the scrubbed fixture of
 * lib/consoles/fixtures, so the mock and the selector tests show the same markup. Like the real
 * consoles, a page renders late (after `renderDelayMs`) and every route change re-renders, so the
 * anchor disappears on the dashboard and comes back on the key page.
 *
 * With `{ login: true }` a MetaDefender console signs in like the real one (docs/contract.md#console-sessions): logged out,
 * every route shows the sign-in form; the form calls the vendor's sign-in API, the page keeps the
 * credential in sessionStorage and its key pages call the vendor API with it, listing what comes
 * back. A refused call (401/403) signs the page out again.
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
  /**
   * A stylesheet in the vendor's look (its toolbar and button metrics), so the browser tests and
   * screenshots show the export button against buttons sized as the real console sizes them.
   */
  css: string;
  /** How the console signs in and calls its API; absent where KeyAtlas cannot use the session (XSOAR). */
  login?: ConsoleLogin;
}

export interface ConsoleLogin {
  /** The vendor's sign-in call, made from the form's user name and password. */
  signIn:
    | { method: 'POST'; path: string; json: { user: string; password: string } }
    /** docs/contract.md#metadefender-vault's vendor: `Authorization: Basic base64(user CR LF password)`. */
    | { method: 'GET'; path: string; basic: true };
  /** The reply field holding the session credential. */
  tokenField: string;
  /** How the console's own API calls carry it. */
  header: { name: string; prefix: string };
  /** Key-page route → the API call that page makes, and the field that names each listed row. */
  lists: Record<string, { path: string; label: string }>;
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

/** The sign-in route of every console, in its own routing style. */
export const LOGIN_ROUTE = '/login';

export function consoleShell(site: ConsoleSite, { login = false }: { login?: boolean } = {}): string {
  const href = (route: string) => (site.routing === 'hash' ? `#${route}` : route);
  const links = Object.keys(site.pages)
    .map((route) => `<li><a href="${href(route)}">${route}</a></li>`)
    .join('');
  const views = Object.fromEntries(Object.entries(site.pages).map(([route, file]) => [route, fixtureBody(file)]));
  const home = `<div class="mock-dashboard"><h1>${site.title}: Dashboard</h1><nav><ul>${links}</ul></nav></div>`;
  const signIn = `<form class="mock-login"><h1>${site.title}: Sign in</h1><label>User name <input name="user" autocomplete="username"></label><label>Password <input name="password" type="password" autocomplete="current-password"></label><button type="submit">Sign in</button><p class="mock-login-error" role="alert"></p></form>`;
  const config = { routing: site.routing, home: site.home, delay: site.renderDelayMs, views, homeView: home, login: login ? (site.login ?? null) : null, loginRoute: LOGIN_ROUTE, signIn };
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${site.title}</title>
<style>${site.css}</style>
</head>
<body>
<div id="mock-console-app"></div>
<script>
(() => {
  const config = ${scriptJson(config)};
  const app = document.getElementById('mock-console-app');
  const SESSION = 'mock-console-session';
  const NEXT = 'mock-console-next';
  let rendering = 0;
  const route = () => (config.routing === 'hash' ? (location.hash.replace(/^#/, '').split('?')[0] || config.home) : location.pathname);
  function go(to) {
    if (config.routing === 'hash') location.hash = '#' + to;
    else {
      history.pushState(null, '', to);
      render();
    }
  }
  function signOut() {
    sessionStorage.removeItem(SESSION);
    sessionStorage.setItem(NEXT, route());
    go(config.loginRoute);
  }
  const text = (value) => String(value ?? '').replace(/[&<>"]/g, (c) => '&#' + c.charCodeAt(0) + ';');
  async function listFor(at) {
    const call = config.login && config.login.lists[at];
    if (!call) return '';
    const res = await fetch(call.path, { headers: { [config.login.header.name]: config.login.header.prefix + sessionStorage.getItem(SESSION) } });
    if (res.status === 401 || res.status === 403) return null;
    const body = await res.json();
    const rows = Array.isArray(body) ? body : Array.isArray(body && body.items) ? body.items : [body];
    return '<ul class="mock-api-list">' + rows.map((row) => '<li>' + text(row && row[call.label]) + '</li>').join('') + '</ul>';
  }
  async function submit(event) {
    event.preventDefault();
    const form = event.target;
    const user = form.elements.user.value;
    const password = form.elements.password.value;
    const signIn = config.login.signIn;
    const init = { method: signIn.method, headers: {} };
    if (signIn.basic) init.headers.Authorization = 'Basic ' + btoa(String.fromCharCode(...new TextEncoder().encode(user + '\\r\\n' + password)));
    else {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify({ [signIn.json.user]: user, [signIn.json.password]: password });
    }
    const res = await fetch(signIn.path, init);
    const body = await res.json().catch(() => ({}));
    const token = res.ok && body && body[config.login.tokenField];
    if (!token) {
      form.querySelector('.mock-login-error').textContent = 'Sign-in failed: check the user name and password';
      return;
    }
    sessionStorage.setItem(SESSION, token);
    const next = sessionStorage.getItem(NEXT);
    sessionStorage.removeItem(NEXT);
    go(next && next !== config.loginRoute ? next : config.home);
  }
  function render() {
    const mine = ++rendering;
    const at = route();
    if (config.login && at === config.loginRoute) {
      app.innerHTML = config.signIn;
      app.querySelector('form').addEventListener('submit', submit);
      return;
    }
    if (config.login && !sessionStorage.getItem(SESSION)) return signOut();
    const view = config.views[at] ?? config.homeView;
    app.innerHTML = '<div class="mock-loading">Loading…</div>';
    setTimeout(async () => {
      if (mine !== rendering) return;
      const list = await listFor(at);
      if (list === null) return signOut();
      if (mine === rendering) app.innerHTML = view + list;
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

export function consoleRoute(site: ConsoleSite, options: { login?: boolean } = {}): Route {
  const page: MockReply = { text: consoleShell(site, options), headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } };
  // The fixtures keep the vendor's logo <img>; a wordmark stands in, so screenshots show no broken image.
  const logo: MockReply = { text: wordmark(site.title), headers: { 'content-type': 'image/svg+xml', 'cache-control': 'no-store' } };
  return (req) => {
    const path = req.path.split('?')[0]!;
    if (req.method !== 'GET') return undefined;
    if (/logo\.(svg|png)$/i.test(path)) return logo;
    return site.servesConsole(path, req) ? page : undefined;
  };
}

function wordmark(title: string): string {
  const text = title.replace(/[<>&]/g, '');
  const width = 16 + Math.ceil(text.length * 7.2);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="24" viewBox="0 0 ${width} 24"><rect width="${width}" height="24" rx="4" fill="#1d4f91"/><text x="8" y="17" font-family="sans-serif" font-size="13" font-weight="600" fill="#fff">${text}</text></svg>`;
}

/** The Host header's name part, lower-cased (`API-t.example:443` → `api-t.example`). */
export function hostName(req: MockRequest): string {
  return (header(req, 'host') ?? '').replace(/:\d+$/, '').toLowerCase();
}
