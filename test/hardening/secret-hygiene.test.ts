import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InstanceError } from '../../lib/apis/errors';
import { defaultHttpOptions, InstanceHttp } from '../../lib/apis/http';
import { adapters } from '../../lib/apis/index';
import { parseConfigText, resolveSecrets, type ResolvedInstance } from '../../lib/config';
import { runInventory } from '../../lib/inventory';
import { Ledger } from '../../lib/ledger';
import type { VendorId } from '../../lib/vendors';
import { main } from '../../cli/keyatlas';
import { runCli, type CliRun } from '../cli/run-cli';
import { FLEET_VENDORS, startMockFleet, type FleetVendorId, type MockFleet } from '../mock-vendors/index';
import { CLOUD_PAID_KEY } from '../mock-vendors/metadefender-cloud';
import { CORE_ADMIN_KEY, CORE_ADMIN_PASSWORD, CORE_ADMIN_USER } from '../mock-vendors/metadefender-core';
import { STORAGE_ADMIN_PASSWORD, STORAGE_ADMIN_USER } from '../mock-vendors/metadefender-storage';
import { VAULT_ADMIN_KEY, vaultDemoTokens } from '../mock-vendors/metadefender-vault';
import { XSOAR_ADVANCED_KEY } from '../mock-vendors/cortex-xsoar';
import { header, pathParts, type Fault, type MockReply } from '../mock-vendors/server';
import { expectNoSecrets, MOCK_SECRETS, NOW, secretForms, servedKeyValues, SESSION_PREFIXES, startLab, tempDir, writeJson, type Lab } from './helpers';

/**
 * Secret hygiene of the engine and the CLI: with the mocks' recognisable fake secrets, no credential
 * and no key value may reach stdout, stderr, an error (message, stack, cause), a result, or a CSV
 * written in masked or omit mode — even when a vendor echoes the secret back in its error body.
 */

const LAB_VAULT_HTML_KEY = 'VAULT-HTML-APIKEY-8c1e4b7a2d5f9e03';
const ANOTHER_USERS_TOKEN = vaultDemoTokens(NOW)[2]!.token;
/** Credentials: never anywhere. Key values: nowhere but a `--keys full` CSV. */
const CREDENTIALS = [...MOCK_SECRETS, LAB_VAULT_HTML_KEY];
const KEY_VALUES = servedKeyValues();

let fleet: MockFleet;
let lab: Lab;
let dir: string;
/** The demo config, but Core logs in with its password (a session is minted) and two secrets come from the environment. */
let configPath: string;
const ENV = { KEYATLAS_VAULT_KEY: VAULT_ADMIN_KEY, KEYATLAS_MDSS_PASSWORD: STORAGE_ADMIN_PASSWORD };

beforeAll(async () => {
  [fleet, lab] = await Promise.all([startMockFleet({ now: NOW }), startLab('echo-lab')]);
  dir = tempDir();
  const instances = fleet.config.instances.map((inst) => {
    if (inst.vendor === 'metadefender-core') return { name: inst.name, vendor: inst.vendor, url: inst.url, username: CORE_ADMIN_USER, password: CORE_ADMIN_PASSWORD };
    if (inst.vendor === 'metadefender-vault') return { ...inst, apiKey: { env: 'KEYATLAS_VAULT_KEY' } };
    if (inst.vendor === 'metadefender-storage') return { ...inst, password: { env: 'KEYATLAS_MDSS_PASSWORD' } };
    return inst;
  });
  configPath = writeJson(dir, 'keyatlas.json', { instances });
});
afterAll(() => Promise.all([fleet.close(), lab.server.close()]));
beforeEach(() => {
  for (const server of Object.values(fleet.servers)) server.clearFaults();
});

function expectClean(text: string, where: string, { keysAllowed = false } = {}): void {
  expectNoSecrets(text, keysAllowed ? CREDENTIALS.filter((c) => !KEY_VALUES.includes(c)) : [...CREDENTIALS, ...KEY_VALUES], where);
  for (const prefix of SESSION_PREFIXES) expect(text.includes(prefix), `${where} contains a ${prefix}… session credential`).toBe(false);
}

const cli = (args: string[]) => runCli(args, { env: ENV });
const expectCleanRun = (run: CliRun, label: string) => {
  expectClean(run.stdout, `${label} stdout`);
  expectClean(run.stderr, `${label} stderr`);
};

describe('the CLI, healthy', () => {
  it.each([
    ['export masked to a file', ['export', '--out', 'masked.csv']],
    ['export omit to stdout', ['export', '--out', '-', '--keys', 'omit']],
    ['export masked, expiring soon', ['export', '--out', '-', '--expiring-within', '30']],
    ['summary', ['summary']],
    ['summary --json', ['summary', '--json']],
  ])('%s: no secret in any output or in the CSV', async (label, args) => {
    const outIndex = args.indexOf('--out');
    if (outIndex >= 0 && args[outIndex + 1] !== '-') args[outIndex + 1] = join(dir, args[outIndex + 1]!);
    const run = await cli([...args, '--config', configPath]);
    expect(run.code, run.stderr).toBe(0);
    expectCleanRun(run, label);
    if (outIndex >= 0 && args[outIndex + 1] !== '-') expectClean(readFileSync(args[outIndex + 1]!, 'utf8'), `${label} CSV`);
  });

  it('export --keys full writes keys only into the CSV on stdout, never a credential into stderr', async () => {
    const run = await cli(['export', '--config', configPath, '--out', '-', '--keys', 'full']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(CLOUD_PAID_KEY);
    expectClean(run.stderr, 'full stderr');
    expectClean(run.stdout, 'full CSV', { keysAllowed: true });
  });

  it('progress lines on a terminal carry no secret', async () => {
    let out = '';
    let err = '';
    const code = await main(['export', '--config', configPath, '--out', '-'], {
      stdout: { write: (t: string) => (out += t) },
      stderr: { write: (t: string) => (err += t), isTTY: true },
      env: ENV,
      now: () => NOW,
    });
    expect(code, err).toBe(0);
    expect(err).toMatch(/vault: reading…\n/);
    expectClean(out, 'progress stdout');
    expectClean(err, 'progress stderr');
  });
});

/** Each vendor refusing the configured credential and quoting it back, plain and URL-encoded. */
const ECHOES: Record<FleetVendorId, [Fault, string]> = {
  'metadefender-core': [{ kind: 'status', status: 401, json: { err: `Invalid session for ${CORE_ADMIN_USER}/${CORE_ADMIN_PASSWORD}` } }, CORE_ADMIN_PASSWORD],
  'metadefender-storage': [{ kind: 'status', status: 401, json: { message: `Invalid password ${encodeURIComponent(STORAGE_ADMIN_PASSWORD)} for admin` } }, STORAGE_ADMIN_PASSWORD],
  'cortex-xsoar': [
    { kind: 'status', status: 401, json: { reply: { err_code: 401, err_msg: `unauthorized key ${XSOAR_ADVANCED_KEY}`, err_extra: encodeURIComponent(XSOAR_ADVANCED_KEY) } } },
    XSOAR_ADVANCED_KEY,
  ],
  'metadefender-vault': [{ kind: 'status', status: 500, json: { error: `token lookup failed for ${VAULT_ADMIN_KEY} (${encodeURIComponent(VAULT_ADMIN_KEY)})` } }, VAULT_ADMIN_KEY],
  'metadefender-cloud': [{ kind: 'status', status: 404, json: { error: { code: 404008, messages: [`The apikey ${CLOUD_PAID_KEY} was not found`] } } }, CLOUD_PAID_KEY],
};

describe('vendors that echo the secret back', () => {
  it.each(FLEET_VENDORS)('%s: the CLI names the failure, the echoed secret is redacted', async (vendor) => {
    const [fault] = ECHOES[vendor];
    fleet.servers[vendor].fault(fault);
    for (const args of [['export', '--out', '-', '--keys', 'omit'], ['summary', '--json'], ['export', '--out', '-', '--quiet']]) {
      const run = await cli([...args, '--config', configPath]);
      expect(run.code).toBe(1);
      expect(run.stderr + run.stdout).toContain('[redacted]');
      expectCleanRun(run, `${vendor} ${args.join(' ')}`);
    }
  });

  it('all five at once, in process: results and records carry no credential', async () => {
    for (const vendor of FLEET_VENDORS) fleet.servers[vendor].fault(ECHOES[vendor][0]);
    const instances = resolveSecrets(parseConfigText(readFileSync(configPath, 'utf8')), ENV);
    const { records, results } = await runInventory(instances, { now: NOW, http: { sleep: async () => {} } });
    expect(records).toEqual([]);
    expect(results.every((r) => !r.ok && r.error!.message.includes('[redacted]'))).toBe(true);
    expectClean(JSON.stringify(results), 'results');
  });
});

describe('session credentials and other people’s keys in odd replies', () => {
  const CORE_SESSION = 'CORE-SESSION-echo-2f6b1c9e8d7a';
  const MDSS_TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.MDSS-JWT-SIG-echo-7c3a9e1f';
  let labConfig: string;

  beforeAll(() => {
    lab.reply = (req): MockReply | undefined => {
      const route = pathParts(req.path).join('/');
      const bearer = header(req, 'authorization');
      if (route === 'login') return { json: { session_id: CORE_SESSION } };
      if (route === 'logout') return { json: { response: 'Logout success' } };
      if (route === 'admin/user') return { status: 403, json: { err: `session ${header(req, 'apikey')} may not list users` } };
      if (route === 'api/user/authenticate') return { json: { accessToken: MDSS_TOKEN } };
      if (route === 'api/apikey') return { status: 401, json: { title: 'Unauthorized', detail: `token ${encodeURIComponent(MDSS_TOKEN)} expired` } };
      if (route.startsWith('vault_rest/tokens') && bearer === `Bearer ${VAULT_ADMIN_KEY}`)
        // A short broken reply: V8 would quote all of it in its JSON error.
        return { text: ANOTHER_USERS_TOKEN, headers: { 'content-type': 'application/json' } };
      if (route.startsWith('vault_rest/tokens')) return { text: `<html><body>Session for ${LAB_VAULT_HTML_KEY} expired</body></html>`, headers: { 'content-type': 'text/html' } };
      if (route === 'v4/apikey') return { status: 302, headers: { location: `https://login.example/?apikey=${encodeURIComponent(CLOUD_PAID_KEY)}&next=${CLOUD_PAID_KEY}` } };
      return undefined;
    };
    const url = lab.server.url;
    labConfig = writeJson(dir, 'lab.json', {
      instances: [
        { name: 'core-login', vendor: 'metadefender-core', url, username: CORE_ADMIN_USER, password: CORE_ADMIN_PASSWORD },
        { name: 'mdss-login', vendor: 'metadefender-storage', url, username: STORAGE_ADMIN_USER, password: STORAGE_ADMIN_PASSWORD },
        { name: 'vault-broken', vendor: 'metadefender-vault', url, apiKey: VAULT_ADMIN_KEY },
        { name: 'vault-html', vendor: 'metadefender-vault', url, apiKey: LAB_VAULT_HTML_KEY },
        { name: 'cloud-redirect', vendor: 'metadefender-cloud', url, apiKey: CLOUD_PAID_KEY },
      ],
    });
  });

  it('the CLI names every failure without a session, a password, a key or another user’s key', async () => {
    const run = await cli(['export', '--config', labConfig, '--out', '-', '--keys', 'full']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/error: core-login .*"session \[redacted\] may not list users"/);
    expect(run.stderr).toMatch(/error: mdss-login .*"token \[redacted\] expired"/);
    expect(run.stderr).toMatch(/error: vault-broken .*malformed JSON \(Unexpected token 'V'\)/);
    expect(run.stderr).toMatch(/error: vault-html .*HTML page instead of JSON/);
    expect(run.stderr).toMatch(/error: cloud-redirect .*redirected \(HTTP 302\) to https:\/\/login\.example\/\?apikey=\[redacted\]&next=\[redacted\]/);
    expectCleanRun(run, 'lab');
    for (const secret of [CORE_SESSION, MDSS_TOKEN]) for (const form of secretForms(secret)) expect(run.stderr).not.toContain(form);
  });

  it('errors thrown by the adapters carry no secret in message, stack, cause or any property', async () => {
    const instances = (JSON.parse(readFileSync(labConfig, 'utf8')) as { instances: ResolvedInstance[] }).instances;
    for (const instance of instances) {
      const adapter = adapters[instance.vendor];
      const secrets = [instance.apiKey, instance.password].filter((s): s is string => !!s);
      const http = new InstanceHttp(instance.name, instance.vendor, lab.server.url, adapter.errors, secrets, { ...defaultHttpOptions(), sleep: async () => {} });
      const error = await adapter.list({ instance, http, emit: () => {}, warn: () => {}, ledger: new Ledger(() => {}), now: new Date(), pagePool: 6 }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, instance.name).toBeInstanceOf(InstanceError);
      const everything = [inspect(error, { depth: 10, showHidden: true }), (error as Error).stack ?? '', String((error as Error).cause ?? ''), JSON.stringify(error)].join('\n');
      expectClean(everything, `${instance.name} error`);
      for (const secret of [CORE_SESSION, MDSS_TOKEN]) expect(everything).not.toContain(secret);
    }
  });
});

describe('configuration mistakes', () => {
  it.each([
    // A forgotten pair of quotes: V8 would quote the text around the mistake.
    ['an unquoted key', `{"instances":[{"name":"v","vendor":"metadefender-vault","url":"https://v.example","apiKey": ${VAULT_ADMIN_KEY}}]}`],
    ['a key in the wrong field', JSON.stringify({ instances: [{ name: 'c', vendor: 'metadefender-core', url: 'https://c.example', apikey: CORE_ADMIN_KEY }] })],
    ['a password in the URL', JSON.stringify({ instances: [{ name: 'c', vendor: 'metadefender-core', url: `https://admin:${encodeURIComponent(CORE_ADMIN_PASSWORD)}@c.example`, apiKey: CORE_ADMIN_KEY }] })],
    ['a key of the wrong type', JSON.stringify({ instances: [{ name: 'c', vendor: 'metadefender-core', url: 'https://c.example', apiKey: { value: CORE_ADMIN_KEY } }] })],
    ['a secret as an env variable name', JSON.stringify({ instances: [{ name: 'c', vendor: 'metadefender-core', url: 'https://c.example', apiKey: { env: CORE_ADMIN_KEY } }] })],
  ])('%s: exit 2, the problem named, not the secret', async (_, text) => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, text);
    const run = await cli(['summary', '--config', path]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('configuration error');
    expectCleanRun(run, 'config error');
    // Not even the start of it.
    for (const secret of [VAULT_ADMIN_KEY, CORE_ADMIN_KEY, CORE_ADMIN_PASSWORD]) expect(run.stderr).not.toContain(secret.slice(0, 10));
  });
});
