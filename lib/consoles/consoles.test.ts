import { readdirSync, readFileSync } from 'node:fs';
import { Window } from 'happy-dom';
import { afterAll, describe, expect, it } from 'vitest';
import { isCortexVendor, VENDOR_IDS } from '../vendors';
import { consoleFor, consolePageUrl, consoles, detectConsole, findAnchor, TEST_ANCHOR } from './index';

const fixturesDir = new URL('./fixtures/', import.meta.url);
const defs = Object.entries(consoles);
// Fixture pages link stylesheets and scripts on invented hosts: nothing is fetched.
const window = new Window({ settings: { disableCSSFileLoading: true, disableJavaScriptFileLoading: true, handleDisabledFileLoadingAsSuccess: true } });
afterAll(() => window.happyDOM.close());

function parse(fileName: string) {
  const document = new window.DOMParser().parseFromString(readFileSync(new URL(fileName, fixturesDir), 'utf8'), 'text/html');
  return document as unknown as Document;
}

describe.each(defs)('%s console', (id, def) => {
  it('is registered under its own vendor id', () => {
    expect(def.vendor).toBe(id);
    expect(consoleFor(id)).toBe(def);
  });

  it('keeps its selectors simple', () => {
    expect(def.anchors.length).toBeGreaterThan(0);
    for (const selector of def.anchors) expect(selector, 'no :has(): happy-dom and old browsers choke on it').not.toContain(':has(');
  });

  it.each(def.fixtures)('%s has exactly %i anchor(s), and findAnchor picks one of them', (fileName, expected) => {
    const document = parse(fileName);
    const matched = [...document.querySelectorAll(def.anchors.join(', '))];
    expect(matched, `Fix the selectors in lib/consoles/${id}.ts or the count in its fixtures`).toHaveLength(expected);
    if (expected > 0) expect(matched).toContain(findAnchor(document, def.anchors));
    // A fixture is a page the user sees with no KeyAtlas test hook in it.
    expect(document.querySelector(TEST_ANCHOR)).toBeNull();
  });

  it.each(def.fixtures)('%s: the anchor holds the console button the export button takes its size from', (fileName) => {
    const anchor = findAnchor(parse(fileName), def.anchors)!;
    expect(anchor.querySelector(def.buttonLike)?.tagName, `Fix buttonLike in lib/consoles/${id}.ts`).toBe('BUTTON');
  });

  it.each(def.exampleUrls.yes)('%s is its key page and no other console’s', (url) => {
    expect(def.isKeysPage(new URL(url)), `No? move ${url} to exampleUrls.no or fix isKeysPage`).toBe(true);
    const others = defs.filter(([, other]) => other !== def && other.isKeysPage(new URL(url))).map(([otherId]) => otherId);
    expect(others, `${url} is claimed by other consoles too`).toEqual([]);
    expect(detectConsole(new URL(url))).toBe(def);
  });

  it.each(def.exampleUrls.no)('%s is not its key page', (url) => {
    expect(def.isKeysPage(new URL(url)), `Yes? move ${url} to exampleUrls.yes or fix isKeysPage`).toBe(false);
  });
});

it('every fixture file belongs to a console', () => {
  const claimed = new Set(defs.flatMap(([, def]) => def.fixtures.map(([fileName]) => fileName)));
  expect(readdirSync(fixturesDir).filter((f) => f.endsWith('.html')).sort()).toEqual([...claimed].sort());
});

it('detects no console on an unrelated page', () => {
  expect(detectConsole(new URL('https://intranet.example/wiki/api-keys'))).toBeUndefined();
  expect(consoleFor('metadefender-cloud')).toBeUndefined();
  expect(consoleFor(null)).toBeUndefined();
});

it('findAnchor prefers earlier selectors over document order', () => {
  const document = new window.DOMParser().parseFromString('<div class="old"></div><div class="new"></div>', 'text/html') as unknown as Document;
  expect(findAnchor(document, ['.new', '.old'])?.className).toBe('new');
  expect(findAnchor(document, ['.missing'])).toBeNull();
});

describe('consolePageUrl', () => {
  it.each([
    ['metadefender-core', 'http://10.20.0.5:8008', 'http://10.20.0.5:8008/#/user-management/users'],
    ['metadefender-core', 'https://proxy.example/core/', 'https://proxy.example/core/#/user-management/users'],
    ['metadefender-storage', 'https://mdss.example', 'https://mdss.example/settings/users'],
    ['metadefender-storage', 'https://proxy.example/mdss', 'https://proxy.example/mdss/settings/users'],
    ['metadefender-vault', 'https://vault.example:8010', 'https://vault.example:8010/#/settings/security/api-keys'],
    ['cortex-xsoar', 'https://api-acme.xdr.example', 'https://acme.xdr.example/settings/configurations/api-keys'],
    ['cortex-xsoar', 'http://api-lab.keyatlas.test:9443/', 'http://lab.keyatlas.test:9443/settings/configurations/api-keys'],
    ['cortex-xsiam', 'https://api-acme.xdr.us.paloaltonetworks.com', 'https://acme.xdr.us.paloaltonetworks.com/configuration/api-keys'],
    ['cortex-xdr', 'http://api-lab.keyatlas.test:9443/', 'http://lab.keyatlas.test:9443/configuration/api-keys'],
    ['cortex-xdr', 'https://proxy.example/xdr', 'https://proxy.example/xdr/configuration/api-keys'],
    ['metadefender-cloud', undefined, 'https://metadefender.opswat.com/account'],
    ['metadefender-cloud', 'http://127.0.0.1:4010', 'http://127.0.0.1:4010/account'],
  ] as const)('%s at %s → %s', (vendor, url, expected) => {
    expect(consolePageUrl({ vendor, url })).toBe(expected);
  });

  it.each(defs)('%s: the page it links to is its own key page', (_id, def) => {
    expect(def.isKeysPage(new URL(consolePageUrl({ vendor: def.vendor, url: 'https://api-host.example:8443' })))).toBe(true);
  });
});

/**
 * URLs an attacker could put in a shared config or policy so that the API calls still reach the
 * tenant while a link built from the path goes elsewhere. Each link must stay on the origin the
 * API calls go to (for XSOAR its console twin without `api-`; Cloud's API host: the portal).
 */
const HOSTILE_URLS = [
  'https://api-tenant.example//evil.example',
  'https://api-tenant.example//evil.example/settings',
  'https://api-tenant.example/..//evil.example',
  'https://api-tenant.example/\\evil.example',
  'https://api-tenant.example\\\\evil.example',
  'https://api-tenant.example/%2F%2Fevil.example',
  'https://api-tenant.example/%2f/evil.example',
  'https://api-tenant.example/@evil.example',
  'https://evil.example@api-tenant.example/',
  'https://api-tenant.example:8443//evil.example:443/x',
  'https://api-t\u00ebnant.example//evil.example',
  'https://\u0430pi-tenant.example//evil.example',
  'https://api-xn--tnant-fsa.example/\\\\evil.example',
  'http://api-127.0.0.1.nip.example:9000////evil.example',
];

function expectedOrigin(vendor: string, url: string): string {
  const api = new URL(url);
  if (vendor === 'metadefender-cloud' && api.hostname === 'api.metadefender.com') return 'https://metadefender.opswat.com';
  // Every Cortex tenant (XSOAR 8, XSIAM, XDR): the console is `<fqdn>` beside `api-<fqdn>`.
  if (isCortexVendor(vendor) && api.hostname.startsWith('api-')) api.hostname = api.hostname.slice('api-'.length);
  return api.origin;
}

describe('every console link stays on the instance’s own origin', () => {
  it.each(VENDOR_IDS.flatMap((vendor) => HOSTILE_URLS.map((url) => [vendor, url] as const)))('%s at %s', (vendor, url) => {
    const link = new URL(consolePageUrl({ vendor, url }));
    expect(link.origin).toBe(expectedOrigin(vendor, url));
    expect(link.username + link.password, 'no user info in a link').toBe('');
  });
});
