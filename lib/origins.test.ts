import { describe, expect, it } from 'vitest';
import type { ResolvedInstance } from './config';
import { consoleOriginFor, grantPatternsFor, instanceForOrigin, matchPatternFor, normalizeOrigin, xsoarApiOrigin, xsoarConsoleOrigin } from './origins';

const core: ResolvedInstance = { name: 'core-prod', vendor: 'metadefender-core', url: 'https://Core.Example:8008/', apiKey: 'k' };
const coreNoPort: ResolvedInstance = { name: 'core-dr', vendor: 'metadefender-core', url: 'http://core-dr.example', apiKey: 'k' };
const vault: ResolvedInstance = { name: 'vault', vendor: 'metadefender-vault', url: 'https://vault.example:8010/vault_rest/', apiKey: 'k' };
const mdss: ResolvedInstance = { name: 'mdss', vendor: 'metadefender-storage', url: 'https://mdss.example', username: 'admin', password: 'p' };
const xsoar: ResolvedInstance = { name: 'xsoar', vendor: 'cortex-xsoar', url: 'https://api-tenant.xdr.example', apiKey: 'k', apiKeyId: '7' };
const xsoarPort: ResolvedInstance = { name: 'xsoar-lab', vendor: 'cortex-xsoar', url: 'http://API-lab.keyatlas.test:9443/', apiKey: 'k', apiKeyId: '8' };
const cloud: ResolvedInstance = { name: 'cloud', vendor: 'metadefender-cloud', apiKey: 'k' };
const all = [core, coreNoPort, vault, mdss, xsoar, xsoarPort, cloud];

describe('normalizeOrigin', () => {
  it.each([
    ['https://Core.Example:8008/#/user-management/users', 'https://core.example:8008'],
    ['https://core.example:443/', 'https://core.example'],
    ['http://127.0.0.1:49152', 'http://127.0.0.1:49152'],
    ['http://[::1]:8080/x', 'http://[::1]:8080'],
  ])('%s → %s', (input, origin) => expect(normalizeOrigin(input)).toBe(origin));

  it.each(['not a url', 'chrome-extension://abc/options.html', 'file:///tmp/x.html', ''])('%s is no web origin', (input) =>
    expect(normalizeOrigin(input)).toBeUndefined(),
  );
});

describe('XSOAR console ↔ API host', () => {
  it.each([
    ['https://api-tenant.xdr.example', 'https://tenant.xdr.example'],
    ['https://API-Tenant.xdr.example:8443/public_api/v1', 'https://tenant.xdr.example:8443'],
    ['http://api-lab.keyatlas.test:9443', 'http://lab.keyatlas.test:9443'],
  ])('api %s → console %s and back', (api, console) => {
    expect(xsoarConsoleOrigin(api)).toBe(console);
    expect(xsoarApiOrigin(console)).toBe(normalizeOrigin(api));
  });

  it('leaves an origin already on the wanted side alone', () => {
    expect(xsoarApiOrigin('https://api-tenant.example')).toBe('https://api-tenant.example');
    expect(xsoarConsoleOrigin('https://tenant.example')).toBe('https://tenant.example');
  });
});

describe('consoleOriginFor', () => {
  it('is the instance origin for MetaDefender consoles, without path or trailing slash', () => {
    expect(consoleOriginFor(core)).toBe('https://core.example:8008');
    expect(consoleOriginFor(vault)).toBe('https://vault.example:8010');
    expect(consoleOriginFor(mdss)).toBe('https://mdss.example');
  });

  it('drops the api- prefix for XSOAR and keeps the port', () => {
    expect(consoleOriginFor(xsoar)).toBe('https://tenant.xdr.example');
    expect(consoleOriginFor(xsoarPort)).toBe('http://lab.keyatlas.test:9443');
  });

  it('is undefined for MetaDefender Cloud, which has no console to decorate', () => {
    expect(consoleOriginFor(cloud)).toBeUndefined();
  });
});

describe('instanceForOrigin', () => {
  it.each([
    ['https://core.example:8008', 'core-prod'],
    ['https://CORE.example:8008/', 'core-prod'],
    ['https://core.example:8008/#/user-management/users', 'core-prod'],
    ['http://core-dr.example:80', 'core-dr'],
    ['https://vault.example:8010', 'vault'],
    ['https://mdss.example/settings/users', 'mdss'],
    ['https://tenant.xdr.example', 'xsoar'],
    ['https://api-tenant.xdr.example', 'xsoar'],
    ['http://lab.keyatlas.test:9443/settings/configurations/api-keys', 'xsoar-lab'],
    ['http://api-lab.keyatlas.test:9443', 'xsoar-lab'],
  ])('%s → %s', (origin, name) => expect(instanceForOrigin(origin, all)?.name).toBe(name));

  it.each([
    ['another port', 'https://core.example:8009'],
    ['another scheme', 'http://core.example:8008'],
    ['a sub-domain', 'https://x.core.example:8008'],
    ['the XSOAR console on another port', 'https://tenant.xdr.example:8443'],
    ['a doubled api- prefix', 'https://api-api-tenant.xdr.example'],
    ['the Cloud API host', 'https://api.metadefender.com'],
    ['an extension page', 'chrome-extension://abcdef/options.html'],
    ['garbage', '::::'],
  ])('no instance for %s', (_, origin) => expect(instanceForOrigin(origin, all)).toBeUndefined());

  it('returns the first of several instances on one origin', () => {
    const twin = { ...core, name: 'core-second-key' };
    expect(instanceForOrigin('https://core.example:8008', [core, twin])?.name).toBe('core-prod');
  });
});

describe('match patterns', () => {
  it('drops the port and the path', () => {
    expect(matchPatternFor('https://Core.Example:8008/#/x')).toBe('https://core.example/*');
    expect(matchPatternFor('http://127.0.0.1:1234')).toBe('http://127.0.0.1/*');
    expect(matchPatternFor('nope')).toBeUndefined();
  });

  it('grants the instance host, and both XSOAR hosts', () => {
    expect(grantPatternsFor(core)).toEqual(['https://core.example/*']);
    expect(grantPatternsFor(cloud)).toEqual(['https://api.metadefender.com/*']);
    expect(grantPatternsFor(xsoar)).toEqual(['https://api-tenant.xdr.example/*', 'https://tenant.xdr.example/*']);
    expect(grantPatternsFor({ vendor: 'cortex-xsoar', url: 'https://tenant.xdr.example/' })).toEqual([
      'https://api-tenant.xdr.example/*',
      'https://tenant.xdr.example/*',
    ]);
  });
});
