import { request } from 'node:http';
import { Browser, Window } from 'happy-dom';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { consoles, findAnchor, type ConsoleVendorId } from '../../../lib/consoles';
import { type MockServer, startMock } from '../server';
import { consoleRouteFor, consoleSites } from './index';

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
  const browser = new Browser({
    settings: { enableJavaScriptEvaluation: true, disableCSSFileLoading: true, disableJavaScriptFileLoading: true, handleDisabledFileLoadingAsSuccess: true },
  });
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
