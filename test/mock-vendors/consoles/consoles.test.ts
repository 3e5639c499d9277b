import { request } from 'node:http';
import { Browser, Window } from 'happy-dom';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { consoles, findAnchor, type ConsoleVendorId } from '../../../lib/consoles';
import { CORE_ADMIN_PASSWORD, CORE_ADMIN_USER, CORE_USERS, startCoreMock } from '../metadefender-core';
import { STORAGE_ADMIN_PASSWORD, STORAGE_ADMIN_USER, startStorageMock, storageUsers } from '../metadefender-storage';
import { startVaultMock, VAULT_ADMIN_PASSWORD, VAULT_USERNAME, vaultDemoTokens } from '../metadefender-vault';
import { header, type MockServer, startMock } from '../server';
import { consoleRouteFor, consoleSites, LOGIN_ROUTE } from './index';

const vendors = Object.keys(consoleSites) as ConsoleVendorId[];
const servers = {} as Record<ConsoleVendorId, MockServer>;

beforeAll(async () => {
  for (const vendor of vendors) {
    // The vendor's own API route answers nothing here: only the console pages are under test.
    servers[vendor] = await startMock(vendor, () => undefined);
    servers[vendor].extraRoutes.push(consoleRouteFor(vendor));
  }
});
afterAll(() => Promise.all(vendors.map((v) => servers[v].close())));

/**
 * A page that runs the mock console's own inline script (the single-page app that renders the
 * anchor late), and loads nothing else. happy-dom warns that a VM context is no sandbox for
 * untrusted code; the only code evaluated is that script, written in this repository and served
 * by its own mock on 127.0.0.1, so the warning does not apply here.
 */
const RUNS_THE_CONSOLE_SCRIPT = {
  enableJavaScriptEvaluation: true,
  suppressInsecureJavaScriptEnvironmentWarning: true,
  disableCSSFileLoading: true,
  disableJavaScriptFileLoading: true,
  handleDisabledFileLoadingAsSuccess: true,
};

/** A raw GET, so the Host header can be set (fetch forbids it). */
function get(url: string, host?: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: host ? { host } : {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function keysUrl(vendor: ConsoleVendorId): string {
  const site = consoleSites[vendor];
  const route = Object.keys(site.pages)[0]!;
  return site.routing === 'hash' ? `${servers[vendor].url}/#${route}` : `${servers[vendor].url}${route}`;
}

describe.each(vendors)('%s console', (vendor) => {
  const site = consoleSites[vendor];

  it('serves the shell on its key routes, as HTML, and each key route is a key page for lib/consoles', async () => {
    for (const route of Object.keys(site.pages)) {
      const url = site.routing === 'hash' ? `${servers[vendor].url}/#${route}` : `${servers[vendor].url}${route}`;
      expect(consoles[vendor].isKeysPage(new URL(url)), url).toBe(true);
      const res = await get(url.split('#')[0]!);
      expect(res.status).toBe(200);
      expect(res.type).toMatch(/^text\/html/);
      expect(res.body).toContain(`<title>${site.title}</title>`);
    }
  });

  it('leaves API paths to the vendor mock', async () => {
    const apiPath = { 'metadefender-core': '/admin/user', 'metadefender-storage': '/api/apikey', 'metadefender-vault': '/vault_rest/tokens/0/100', 'cortex-xsoar': '/public_api/v1/api_keys/get_api_keys' }[vendor];
    expect((await get(`${servers[vendor].url}${apiPath}`)).status).toBe(404);
  });

  it('sends no anchor in the HTML itself: the app renders it later', async () => {
    const { body } = await get(keysUrl(vendor).split('#')[0]!);
    expect(body.match(/<\/script>/g), 'the fixture markup stays inert inside the one inline script').toHaveLength(1);
    const window = new Window({ settings: { disableCSSFileLoading: true, disableJavaScriptFileLoading: true } });
    const document = new window.DOMParser().parseFromString(body, 'text/html') as unknown as Document;
    expect(findAnchor(document, consoles[vendor].anchors)).toBeNull();
    await window.happyDOM.close();
  });
});

describe('XSOAR hosts', () => {
  it('serves the console on the tenant host only, never on the api- host', async () => {
    const { url } = servers['cortex-xsoar'];
    const port = new URL(url).port;
    expect((await get(`${url}/settings/configurations/api-keys`, `tenant.keyatlas.test:${port}`)).status).toBe(200);
    expect((await get(`${url}/settings/configurations/api-keys`, `API-tenant.keyatlas.test:${port}`)).status).toBe(404);
  });
});

describe.each(vendors)('%s console in a browser', (vendor) => {
  const def = consoles[vendor];
  const browser = new Browser({ settings: RUNS_THE_CONSOLE_SCRIPT });
  afterAll(() => browser.close());

  it('renders the anchor late, drops it on the dashboard and renders it again on the way back', async () => {
    const page = browser.newPage();
    await page.goto(keysUrl(vendor));
    const document = page.mainFrame.document as unknown as Document;
    const anchor = () => findAnchor(document, def.anchors);
    await vi.waitFor(() => expect(anchor()).not.toBeNull(), { timeout: 5000 });
    expect(def.isKeysPage(new URL(page.mainFrame.url))).toBe(true);

    const home = [...document.querySelectorAll<HTMLAnchorElement>('a[href]')].find((a) => /dashboard$/.test(a.getAttribute('href')!));
    expect(home, 'the key page links to the dashboard').toBeDefined();
    home!.click();
    await vi.waitFor(() => expect(document.querySelector('.mock-dashboard')).not.toBeNull(), { timeout: 5000 });
    expect(anchor()).toBeNull();
    expect(def.isKeysPage(new URL(page.mainFrame.url))).toBe(false);

    const back = document.querySelector<HTMLAnchorElement>('.mock-dashboard a[href]')!;
    back.click();
    await vi.waitFor(() => expect(anchor()).not.toBeNull(), { timeout: 5000 });
    expect(def.isKeysPage(new URL(page.mainFrame.url))).toBe(true);
  });
});

/** The MetaDefender consoles with `{ login: true }`, on their real vendor mocks. */
const signIns = {
  'metadefender-core': {
    start: () => startCoreMock(),
    user: CORE_ADMIN_USER,
    password: CORE_ADMIN_PASSWORD,
    listed: () => CORE_USERS.map((u) => u.name),
    // POST /login → session_id, sent as `apikey`.
    credential: (req: Parameters<typeof header>[0]) => header(req, 'apikey'),
  },
  'metadefender-storage': {
    start: () => startStorageMock(),
    user: STORAGE_ADMIN_USER,
    password: STORAGE_ADMIN_PASSWORD,
    listed: () => storageUsers().map((u) => u.username),
    credential: (req: Parameters<typeof header>[0]) => /^Bearer (.+)$/.exec(header(req, 'authorization') ?? '')?.[1],
  },
  'metadefender-vault': {
    start: () => startVaultMock(),
    user: VAULT_USERNAME,
    password: VAULT_ADMIN_PASSWORD,
    listed: () => vaultDemoTokens(new Date()).map((t) => t.description),
    credential: (req: Parameters<typeof header>[0]) => /^Bearer (.+)$/.exec(header(req, 'authorization') ?? '')?.[1],
  },
} as const;

describe.each(Object.keys(signIns) as (keyof typeof signIns)[])('%s console with sign-in', (vendor) => {
  const site = consoleSites[vendor];
  const def = consoles[vendor];
  const signIn = signIns[vendor];
  let server: MockServer;
  const browser = new Browser({ settings: RUNS_THE_CONSOLE_SCRIPT });
  beforeAll(async () => {
    server = await signIn.start();
    server.extraRoutes.push(consoleRouteFor(vendor, { login: true }));
  });
  afterAll(async () => {
    await browser.close();
    await server.close();
  });

  const route = (url: string) => (site.routing === 'hash' ? new URL(url).hash.replace(/^#/, '') : new URL(url).pathname);
  const keysPage = () => (site.routing === 'hash' ? `${server.url}/#${Object.keys(site.pages)[0]}` : `${server.url}${Object.keys(site.pages)[0]}`);

  async function signedOutPage() {
    const page = browser.newPage();
    await page.goto(keysPage());
    const document = page.mainFrame.document as unknown as Document;
    await vi.waitFor(() => expect(document.querySelector('form.mock-login')).not.toBeNull(), { timeout: 5000 });
    return { page, document };
  }

  async function submit(document: Document, user: string, password: string) {
    const form = document.querySelector<HTMLFormElement>('form.mock-login')!;
    form.querySelector<HTMLInputElement>('input[name="user"]')!.value = user;
    form.querySelector<HTMLInputElement>('input[name="password"]')!.value = password;
    form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
  }

  it('sends a signed-out visitor to the sign-in form, refuses a wrong password, then lands on the key page it asked for', async () => {
    const { page, document } = await signedOutPage();
    expect(route(page.mainFrame.url)).toBe(LOGIN_ROUTE);
    expect(findAnchor(document, def.anchors)).toBeNull();

    await submit(document, signIn.user, 'wrong-password');
    await vi.waitFor(() => expect(document.querySelector('.mock-login-error')!.textContent).toMatch(/Sign-in failed/), { timeout: 5000 });

    server.resetStats();
    await submit(document, signIn.user, signIn.password);
    await vi.waitFor(() => expect(findAnchor(document, def.anchors)).not.toBeNull(), { timeout: 5000 });
    expect(def.isKeysPage(new URL(page.mainFrame.url))).toBe(true);

    // The page called its API with the session it got, and lists what came back.
    const token = page.mainFrame.window.sessionStorage.getItem('mock-console-session');
    expect(token).toBeTruthy();
    const listCall = server.requests.find((r) => r.method === 'GET' && signIn.credential(r) !== undefined);
    expect(listCall && signIn.credential(listCall)).toBe(token);
    const listed = [...document.querySelectorAll('.mock-api-list li')].map((li) => li.textContent);
    expect(listed.length).toBeGreaterThan(0);
    expect(signIn.listed()).toEqual(expect.arrayContaining(listed));
  });

  it('signs the page out when its API refuses the session, as the real consoles do', async () => {
    const { document } = await signedOutPage();
    await submit(document, signIn.user, signIn.password);
    await vi.waitFor(() => expect(findAnchor(document, def.anchors)).not.toBeNull(), { timeout: 5000 });

    server.fault({ kind: 'status', status: 401 }, { times: 1 });
    const home = [...document.querySelectorAll<HTMLAnchorElement>('a[href]')].find((a) => /dashboard$/.test(a.getAttribute('href')!));
    home!.click();
    await vi.waitFor(() => expect(document.querySelector('.mock-dashboard')).not.toBeNull(), { timeout: 5000 });
    document.querySelector<HTMLAnchorElement>('.mock-dashboard a[href]')!.click();
    await vi.waitFor(() => expect(document.querySelector('form.mock-login')).not.toBeNull(), { timeout: 5000 });
    expect(findAnchor(document, def.anchors)).toBeNull();
  });
});
