import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedInstance } from '../config';
import { runInventory } from '../inventory';
import { CLOUD_EXPIRED_KEY, CLOUD_FREE_KEY, CLOUD_PAID_KEY, cloudKeys, startCloudMock } from '../../test/mock-vendors/metadefender-cloud';
import { header, type Fault, type MockServer } from '../../test/mock-vendors/server';

const NOW = new Date('2026-03-10T08:30:00.000Z');
const DAY_MS = 86_400_000;
const UNKNOWN_KEY = 'CLOUD-UNKNOWN-APIKEY-00000000000000000000000000000000';
let mock: MockServer;
let sleeps: number[];

beforeAll(async () => {
  mock = await startCloudMock({ now: NOW });
});
afterAll(() => mock.close());
afterEach(() => {
  mock.clearFaults();
  mock.resetStats();
});

const cloud = (apiKey: string, name = 'cloud', server = mock): ResolvedInstance => ({ name, vendor: 'metadefender-cloud', url: server.url, apiKey });

function run(instances: ResolvedInstance[]) {
  sleeps = [];
  return runInventory(instances, { now: NOW, http: { sleep: async (ms) => void sleeps.push(ms) } });
}

describe('MetaDefender Cloud adapter', () => {
  it('describes each configured key: nickname, paid/free, dates, 1970 = never', async () => {
    const { records, results } = await run([cloud(CLOUD_FREE_KEY, 'free'), cloud(CLOUD_PAID_KEY, 'paid'), cloud(CLOUD_EXPIRED_KEY, 'expired')]);
    expect(results.map((r) => [r.instance, r.ok, r.count])).toEqual([
      ['free', true, 1],
      ['paid', true, 1],
      ['expired', true, 1],
    ]);
    const at = (days: number) => new Date(NOW.getTime() + days * DAY_MS).toISOString();
    expect(records).toEqual([
      { instance: 'free', vendor: 'metadefender-cloud', owner: 'throbbing_band_caae', directory: '', key_id: '', key: CLOUD_FREE_KEY, description: 'free', roles: [], status: 'active', created: at(-400), expires: '', days_left: null, owner_state: '', owner_last_login: '', owner_email: '', owner_role: '', age_days: 400, coverage: 'this key' },
      { instance: 'paid', vendor: 'metadefender-cloud', owner: 'soc-team-prod', directory: '', key_id: '', key: CLOUD_PAID_KEY, description: `paid (licence until ${at(20).slice(0, 10)})`, roles: [], status: 'active', created: at(-345), expires: at(20), days_left: 20, owner_state: '', owner_last_login: '', owner_email: '', owner_role: '', age_days: 345, coverage: 'this key' },
      // paid_user `true` rather than 1
      { instance: 'expired', vendor: 'metadefender-cloud', owner: 'legacy-integration', directory: '', key_id: '', key: CLOUD_EXPIRED_KEY, description: `paid (licence ended ${at(-5).slice(0, 10)}; the key works at free limits)`, roles: [], status: 'expired', created: at(-730), expires: at(-5), days_left: -5, owner_state: '', owner_last_login: '', owner_email: '', owner_role: '', age_days: 730, coverage: 'this key' },
    ]);
    expect(mock.requests.map((r) => [r.method, r.path])).toEqual(Array(3).fill(['GET', '/v4/apikey/']));
    expect(mock.requests.map((r) => header(r, 'apikey')).sort()).toEqual([CLOUD_EXPIRED_KEY, CLOUD_FREE_KEY, CLOUD_PAID_KEY].sort());
  });

  it('reads paid_user 0/1/true/false/null and absent dates and nickname', async () => {
    const keys: Record<string, Record<string, unknown>> = {
      'CLOUD-A-APIKEY-aaaaaaaaaaaaaaaaaaaa': { paid_user: false, nickname: null, created_at: null, expiration_date: null },
      'CLOUD-B-APIKEY-bbbbbbbbbbbbbbbbbbbb': { paid_user: null, expiration_date: '1970-01-01T00:00:00Z' },
      'CLOUD-C-APIKEY-cccccccccccccccccccc': { paid_user: 1, created_at: '2025-12-01T10:00:00.000Z' },
    };
    const custom = await startCloudMock({ keys });
    try {
      const { records, results } = await run(Object.keys(keys).map((key, i) => cloud(key, `c${i}`, custom)));
      expect(results.every((r) => r.ok)).toBe(true);
      expect(records.map((r) => [r.owner, r.description, r.created, r.expires])).toEqual([
        ['', 'free', '', ''],
        ['', 'free', '', ''],
        ['', 'paid', '2025-12-01T10:00:00.000Z', ''],
      ]);
    } finally {
      await custom.close();
    }
  });

  it.each<[string, string, Fault | undefined, RegExp]>([
    ['401', CLOUD_FREE_KEY, { kind: 'status', status: 401, json: { error: { code: 401006, messages: 'Invalid apikey' } } }, /HTTP 401\): "Invalid apikey \(code 401006\)"/],
    ['403', CLOUD_FREE_KEY, { kind: 'status', status: 403, json: { error: { code: 403004, messages: ['Access to this resource is forbidden'] } } }, /HTTP 403\): "Access to this resource is forbidden \(code 403004\)"/],
    ['404008 (unknown key)', UNKNOWN_KEY, undefined, /refused \(HTTP 404\): "The apikey was not found \(code 404008\)"/],
  ])('sends a refused key (%s) exactly once: IP blocking', async (_, key, fault, vendorText) => {
    if (fault) mock.fault(fault);
    const { records, results } = await run([cloud(key)]);
    const error = results[0]!.error!;
    expect(records).toEqual([]);
    expect(error.kind).toBe('auth');
    expect(error.message).toMatch(vendorText);
    expect(error.message).toMatch(/blocked for an hour/);
    expect(error.message).not.toContain(key);
    expect(mock.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('redacts the key when the vendor echoes it in an error', async () => {
    mock.fault({ kind: 'status', status: 404, json: { error: { code: 404008, messages: [`The apikey ${UNKNOWN_KEY} was not found`] } } });
    const { results } = await run([cloud(UNKNOWN_KEY)]);
    expect(results[0]!.error!.message).toContain('The apikey [redacted] was not found');
    expect(JSON.stringify(results)).not.toContain(UNKNOWN_KEY);
  });

  it('honours Retry-After on 429', async () => {
    mock.fault({ kind: 'status', status: 429, json: { error: { code: 429001, messages: ['Rate limit exceeded'] } }, headers: { 'retry-after': '7' } }, { times: 1 });
    const { results } = await run([cloud(CLOUD_PAID_KEY)]);
    expect(results[0]).toMatchObject({ ok: true, count: 1 });
    expect(mock.requests).toHaveLength(2);
    expect(sleeps).toEqual([7000]);
  });

  it('retries 503 and gives up after 3 tries', async () => {
    mock.fault({ kind: 'status', status: 503, json: {} }, { times: 2 });
    expect((await run([cloud(CLOUD_PAID_KEY)])).results[0]).toMatchObject({ ok: true, count: 1 });
    expect(mock.requests).toHaveLength(3);
    mock.resetStats();
    mock.fault({ kind: 'status', status: 503, json: { error: { code: 503000, messages: 'Service temporarily unavailable' } } });
    const { results } = await run([cloud(CLOUD_PAID_KEY)]);
    expect(results[0]!.error).toMatchObject({ kind: 'http' });
    expect(results[0]!.error!.message).toContain('Service temporarily unavailable (code 503000)');
    expect(mock.requests).toHaveLength(3);
  });

  it.each<[string, Fault, RegExp]>([
    ['an HTML login page', { kind: 'html-login' }, /HTML page instead of JSON/],
    ['malformed JSON', { kind: 'malformed' }, /malformed JSON/],
    ['a wrong field type', { kind: 'status', status: 200, json: { ...cloudKeys(NOW)[CLOUD_PAID_KEY], paid_user: 'yes' } }, /field "paid_user"/],
  ])('reports %s as a format error', async (_, fault, text) => {
    mock.fault(fault);
    const { results } = await run([cloud(CLOUD_PAID_KEY)]);
    expect(results[0]!.error).toMatchObject({ kind: 'format' });
    expect(results[0]!.error!.message).toMatch(/^cloud \(metadefender-cloud\): GET \/v4\/apikey\//);
    expect(results[0]!.error!.message).toMatch(text);
    expect(results[0]!.error!.message).not.toContain(CLOUD_PAID_KEY);
  });

  it('an unparseable date costs the key its expiry, with a warning, not the instance', async () => {
    mock.fault({ kind: 'status', status: 200, json: { ...cloudKeys(NOW)[CLOUD_PAID_KEY], expiration_date: 'next year' } });
    const { records, results } = await run([cloud(CLOUD_PAID_KEY)]);
    expect(results[0]).toMatchObject({ ok: true, count: 1 });
    expect(records[0]).toMatchObject({ expires: '' });
    expect(results[0]!.warnings).toEqual(['cloud (metadefender-cloud): 1 date could not be read and is left empty (expiration_date): check it in the console']);
  });

  it.each(['1970-01-01T00:00:00.000Z', '1970-01-01T00:00:00+02:00', '1970-01-01T00:00:00.0000000-05:00', '1970-01-01', 0])(
    'reads the 1970 sentinel %j as never, at any offset',
    async (sentinel) => {
      mock.fault({ kind: 'status', status: 200, json: { ...cloudKeys(NOW)[CLOUD_PAID_KEY], expiration_date: sentinel } });
      const { records, results } = await run([cloud(CLOUD_PAID_KEY)]);
      expect(results[0]).toMatchObject({ ok: true, warnings: [] });
      expect(records[0]).toMatchObject({ expires: '', days_left: null });
    },
  );

  it('mock: answers a missing key with 401 and leaves other paths alone', async () => {
    const reply = await fetch(`${mock.url}/v4/apikey/`);
    expect(reply.status).toBe(401);
    expect(await reply.json()).toEqual({ error: { code: 401006, messages: 'Authentication strategy is invalid' } });
    expect((await fetch(`${mock.url}/v4/file`, { headers: { apikey: CLOUD_FREE_KEY } })).status).toBe(404);
  });
});
