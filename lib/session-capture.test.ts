import { describe, expect, it } from 'vitest';
import { captureSession, isRefusal, sessionInstance, type ObservedRequest } from './session-capture';

const EXTENSION = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop/';
const CORE = 'https://core.example:8008';
const MDSS = 'https://mdss.example';
const VAULT = 'http://10.20.0.9:8010';
const CORE_SESSION = 'CORE-SESSION-5f1c0a2e4b0a1b2c3d4e5f6a7b8c9d0e';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI2NWYxIn0.MDSS-JWT-SIG-0123456789abcdef';
const VAULT_TOKEN = 'rWx0PkJHv2G8C5FvvYCEqpj89SDct0';

/** A request as Chrome's onSendHeaders reports it, from a console tab on its own origin. */
function request(url: string, headers: Record<string, string>, extra: Partial<ObservedRequest> = {}): ObservedRequest {
  return {
    url,
    method: 'GET',
    tabId: 12,
    initiator: new URL(url).origin,
    requestHeaders: Object.entries(headers).map(([name, value]) => ({ name, value })),
    ...extra,
  };
}

describe('captureSession: each console’s own API calls', () => {
  it.each([
    ['Core users list (apikey = /login session_id)', request(`${CORE}/admin/user`, { apikey: CORE_SESSION }), 'metadefender-core', CORE_SESSION],
    ['Core, header name in any case', request(`${CORE}/stat/nodes`, { APIKEY: CORE_SESSION }), 'metadefender-core', CORE_SESSION],
    ['Core POST', request(`${CORE}/file`, { apikey: CORE_SESSION }, { method: 'POST' }), 'metadefender-core', CORE_SESSION],
    ['MDSS API key card (Bearer JWT)', request(`${MDSS}/api/apikey`, { Authorization: `Bearer ${JWT}` }), 'metadefender-storage', JWT],
    ['MDSS users list, lower-case scheme', request(`${MDSS}/api/user/active/0/100`, { authorization: `bearer ${JWT}` }), 'metadefender-storage', JWT],
    ['Vault tokens list (Bearer token)', request(`${VAULT}/vault_rest/tokens/0/100`, { Authorization: `Bearer ${VAULT_TOKEN}` }), 'metadefender-vault', VAULT_TOKEN],
    [
      'Firefox: the starter is originUrl',
      request(`${VAULT}/vault_rest/tokens/0/100`, { Authorization: `Bearer ${VAULT_TOKEN}` }, { initiator: undefined, originUrl: `${VAULT}/#/settings/security/api-keys` }),
      'metadefender-vault',
      VAULT_TOKEN,
    ],
  ])('%s', (_, req, vendor, credential) => {
    expect(captureSession(req, EXTENSION)).toEqual({ origin: new URL(req.url).origin, vendor, credential });
  });
});

describe('captureSession: everything else is ignored', () => {
  it.each([
    ['the extension’s own call (no tab)', request(`${CORE}/admin/user`, { apikey: CORE_SESSION }, { tabId: -1 })],
    ['a call started by an extension page', request(`${CORE}/admin/user`, { apikey: CORE_SESSION }, { initiator: EXTENSION.replace(/\/$/, '') })],
    ['Firefox: a call from an extension page', request(`${CORE}/admin/user`, { apikey: CORE_SESSION }, { initiator: undefined, originUrl: `${EXTENSION}popup.html` })],
    ['a call with no known starter', request(`${CORE}/admin/user`, { apikey: CORE_SESSION }, { initiator: undefined })],
    ['another site planting a credential cross-origin', request(`${CORE}/admin/user`, { apikey: CORE_SESSION }, { initiator: 'https://evil.example' })],
    // The port is part of the origin: another service on the same host is another site.
    ['a page on another port of the same host', request(`${CORE}/admin/user`, { apikey: CORE_SESSION }, { initiator: 'https://core.example:9443' })],
    ['Firefox: a page on another port of the same host', request(`${CORE}/admin/user`, { apikey: CORE_SESSION }, { initiator: undefined, originUrl: 'https://core.example/#/user-management/users' })],
    ['a CORS preflight', request(`${VAULT}/vault_rest/tokens/0/100`, { Authorization: `Bearer ${VAULT_TOKEN}` }, { method: 'OPTIONS' })],
    ['Vault login (Basic, not a session yet)', request(`${VAULT}/vault_rest/authenticate`, { Authorization: 'Basic YWRtaW4NCmFkbWlu' })],
    ['MDSS login (no credential yet)', request(`${MDSS}/api/user/authenticate`, { 'Content-Type': 'application/json' }, { method: 'POST' })],
    ['MDSS API key (apikey header on /api/, not a session)', request(`${MDSS}/api/apikey`, { apikey: 'MDSS-USER-APIKEY-4c1d8e2f6a0b9c3d7e5f' })],
    ['a Bearer token outside any vendor API', request(`${CORE}/admin/user`, { Authorization: `Bearer ${JWT}` })],
    ['XSOAR public API (keys, never sessions)', request('https://api-tenant.example/public_api/v1/api_keys/get_api_keys', { authorization: 'k'.repeat(64), 'x-xdr-auth-id': '7', apikey: 'x'.repeat(20) })],
    ['a page without any credential', request(`${CORE}/index.html`, { accept: 'text/html' })],
    ['a too short value', request(`${CORE}/admin/user`, { apikey: 'short' })],
    ['a value with spaces', request(`${CORE}/admin/user`, { apikey: 'not a session id at all' })],
    ['a non-web URL', request('chrome://settings/', { apikey: CORE_SESSION }, { initiator: 'chrome://settings' })],
    ['no headers reported', request(`${CORE}/admin/user`, {}, { requestHeaders: undefined })],
  ])('%s', (_, req) => {
    expect(captureSession(req, EXTENSION)).toBeUndefined();
  });
});

describe('isRefusal', () => {
  it.each([
    [401, true],
    [403, true],
    [200, false],
    [404, false],
    [500, false],
  ])('%i → %s', (status, refused) => expect(isRefusal(status)).toBe(refused));
});

describe('sessionInstance', () => {
  it('names the instance after the console host and carries only the session', () => {
    expect(sessionInstance('http://127.0.0.1:4567', 'metadefender-core', CORE_SESSION)).toEqual({
      name: '127.0.0.1:4567',
      vendor: 'metadefender-core',
      url: 'http://127.0.0.1:4567',
      sessionToken: CORE_SESSION,
    });
    expect(sessionInstance('https://mdss.example', 'metadefender-storage', JWT).name).toBe('mdss.example');
  });
});
