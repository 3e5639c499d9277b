import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ResolvedInstance } from '../../lib/config';
import { countOf } from '../../lib/plural';
import type { KeyRecord } from '../../lib/record';
import { pathParts, type MockReply } from '../mock-vendors/server';
import { NOW, readRecordingWaits, startLab, type Lab } from './helpers';

/**
 * Generated vendor replies, served over real HTTP: every run ends in exactly one record per key
 * the reply holds, or in a 'format' error naming the broken field. Anything else (an 'internal'
 * error, a crash, a dropped or invented row) fails the property.
 */

const RUNS = 60;
// A run with 1,500 keys over real HTTP takes a second on a quiet machine; a loaded CI machine may
// take many times that, and a property cut off by the default 20 s keeps serving the next test.
vi.setConfig({ testTimeout: 90_000 });
let lab: Lab;

beforeAll(async () => {
  lab = await startLab('vendor-properties');
});
afterAll(() => lab.server.close());

// ---------------------------------------------------------------- building blocks

const text = fc.string({ unit: 'binary', maxLength: 24 });
const nonEmpty = fc.string({ unit: 'binary', minLength: 1, maxLength: 24 });
const keyValue = fc.string({ unit: 'binary', minLength: 1, maxLength: 48 });
const orNull = <T>(arb: fc.Arbitrary<T>) => fc.oneof(arb, fc.constant(null));

/** Unknown fields a newer vendor release might add; prefixed so they never replace a known one. */
const extras = fc.oneof(
  { weight: 4, arbitrary: fc.dictionary(fc.string({ maxLength: 6 }).map((k) => `x-${k}`), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }) },
  // JSON may carry keys that mean something to JavaScript objects.
  { weight: 1, arbitrary: fc.constant({ ['__proto__']: { polluted: 'yes' }, constructor: { prototype: { polluted: 'yes' } } }) },
);

/** Seeds 001/003/004 write dates in several ways; each form names one instant. */
type VendorDate = { text: string; iso: string };
const FIRST = Date.UTC(1970, 0, 2);
const LAST = Date.UTC(9999, 11, 30, 23, 59, 59, 999);
const vendorDate: fc.Arbitrary<VendorDate> = fc
  .tuple(
    fc.oneof(fc.integer({ min: FIRST, max: LAST }), fc.constantFrom(FIRST, LAST, Date.UTC(2026, 2, 29, 1, 30))),
    fc.constantFrom('iso', 'dotnet7', 'no-zone', 'offset', 'space', 'lower-z'),
    fc.integer({ min: -14 * 60, max: 14 * 60 }),
  )
  .map(([ms, style, offsetMinutes]) => {
    const iso = new Date(ms).toISOString();
    const seven = iso.replace(/\.(\d{3})Z$/, '.$10000Z');
    switch (style) {
      case 'dotnet7':
        return { text: seven, iso };
      case 'no-zone':
        return { text: seven.slice(0, -1), iso };
      case 'space':
        return { text: iso.replace('T', ' '), iso };
      case 'lower-z':
        return { text: iso.replace('Z', 'z'), iso };
      case 'offset': {
        const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 23);
        const abs = Math.abs(offsetMinutes);
        const zone = `${offsetMinutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
        return { text: local + zone, iso };
      }
      default:
        return { text: iso, iso };
    }
  });
const NOT_DATES = ['tomorrow', '2015-13-02T12:00:00Z', '31/12/2026', '1435838400000', 'T12:00'];

/** A wrong value of a field, with the path (prefix) the error must name. */
interface Corruption {
  index: number;
  field: string;
  value: unknown;
}
const corruption = (fields: Record<string, unknown[]>): fc.Arbitrary<Corruption> =>
  fc
    .tuple(fc.nat(), fc.constantFrom(...Object.keys(fields)))
    .chain(([index, field]) => fc.constantFrom(...fields[field]!).map((value) => ({ index, field, value })));

/** A body that is no object or list at all: the error names the whole reply. */
const garbage = fc.oneof(fc.integer(), fc.string({ maxLength: 12 }), fc.boolean());

const json = (value: unknown, status = 200): MockReply => ({ status, json: value });

function expectFormatError(result: { error?: { kind: string; message: string } }, field: string): void {
  expect(result.error?.kind, result.error?.message).toBe('format');
  expect(result.error!.message).toContain(`returned an unexpected reply: field "${field}`);
}

function expectSound(result: { ok: boolean; count: number; error?: { kind: string } }, records: KeyRecord[]): void {
  expect(result.error?.kind).not.toBe('internal');
  expect(result.count).toBe(records.length);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

const instanceFor = (vendor: ResolvedInstance['vendor'], fields: Partial<ResolvedInstance>): ResolvedInstance => ({
  name: `prop-${vendor}`,
  vendor,
  url: lab.server.url,
  ...fields,
});

// ---------------------------------------------------------------- MetaDefender Core

const coreUser = fc.record(
  {
    id: fc.oneof(fc.nat(), nonEmpty),
    name: text,
    display_name: orNull(text),
    api_key: orNull(fc.oneof(fc.constant(''), keyValue)),
    apikey: orNull(fc.oneof(fc.constant(''), keyValue)),
    directory_id: orNull(fc.oneof(fc.nat({ max: 9 }), fc.string({ maxLength: 3 }))),
    roles: orNull(fc.array(fc.oneof(fc.nat(), text), { maxLength: 3 })),
    extra: extras,
  },
  { requiredKeys: ['id', 'name', 'extra'] },
).map(({ extra, ...user }) => ({ ...extra, ...user }));

const coreScenario = fc.record({
  users: fc.oneof({ weight: 9, arbitrary: fc.array(coreUser, { maxLength: 20 }) }, { weight: 1, arbitrary: fc.array(coreUser, { minLength: 800, maxLength: 1500 }) }),
  directories: fc.array(fc.record({ id: fc.oneof(fc.nat({ max: 9 }), fc.string({ maxLength: 3 })), name: text }), { maxLength: 5 }),
  broken: fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    {
      weight: 1,
      arbitrary: corruption({
        name: [5, null, {}],
        id: [{}, true, []],
        display_name: [5, {}],
        api_key: [5, {}, []],
        apikey: [true],
        directory_id: [{}, true],
        roles: ['admin', {}, [{}], [null]],
      }).map((c) => ({ list: 'users' as const, ...c })),
    },
    { weight: 1, arbitrary: corruption({ id: [null, {}], name: [5, null] }).map((c) => ({ list: 'directories' as const, ...c })) },
    { weight: 1, arbitrary: garbage.map((value) => ({ list: 'users-body' as const, index: 0, field: '', value })) },
  ),
});

describe('MetaDefender Core replies', () => {
  it('give one record per user with a key, or a format error naming the field', async () => {
    await fc.assert(
      fc.asyncProperty(coreScenario, async ({ users, directories, broken }) => {
        let usersBody: unknown = users;
        let directoriesBody: unknown = directories;
        let field: string | undefined;
        let directoriesBroken = false;
        if (broken?.list === 'users-body') {
          usersBody = broken.value;
          field = '(the whole reply)';
        } else if (broken) {
          const list = broken.list === 'users' ? users : directories;
          if (list.length) {
            const i = broken.index % list.length;
            const copy = list.map((entry) => ({ ...entry })) as Record<string, unknown>[];
            copy[i]![broken.field] = broken.value;
            if (broken.list === 'users') {
              usersBody = copy;
              field = `[${i}].${broken.field}`;
            } else {
              // docs/contract.md#metadefender-core: directory names only dress up owners; without them every key is still a row.
              directoriesBody = copy;
              directoriesBroken = true;
            }
          }
        }
        lab.reply = (req) => {
          const path = req.path.split('?')[0];
          if (path === '/admin/user') return json(usersBody);
          if (path === '/admin/userdirectory') return json(directoriesBody);
          // A role list naming no role: every role keeps its id, no warning.
          if (path === '/admin/role') return json([]);
          return undefined;
        };
        const { records, result } = await readRecordingWaits(instanceFor('metadefender-core', { apiKey: 'CORE-PROP-APIKEY-0000000000000000' }));
        expectSound(result, records);
        if (field !== undefined) return expectFormatError(result, field);
        expect(result.error, result.error?.message).toBeUndefined();
        // A user list where no user carries a key field at all is said, never silently zero keys.
        const noKeyField = users.length > 0 && users.every((u) => !('api_key' in u) && !('apikey' in u));
        expect(result.warnings.length).toBe((directoriesBroken ? 1 : 0) + (noKeyField ? 1 : 0));
        const withKey = users.filter((u) => u.api_key || u.apikey);
        expect(records).toHaveLength(withKey.length);
        withKey.forEach((user, i) => {
          const record = records[i]!;
          expect(record.key).toBe(user.api_key || user.apikey);
          expect(record.key_id).toBe(String(user.id));
          expect(record.owner === user.name || record.owner.endsWith(`\\${user.name}`)).toBe(true);
          expect(record.description).toBe(user.display_name ?? '');
          expect(record.roles).toEqual((user.roles ?? []).map(String));
          expect(record).toMatchObject({ expires: '', days_left: null, status: 'active' });
        });
      }),
      { numRuns: RUNS },
    );
  });
});

// ---------------------------------------------------------------- MetaDefender Storage Security

const TOKEN = 'MDSS-JWT-SIG-property-run';
const storageUser = fc.record(
  {
    id: orNull(fc.oneof(fc.nat(), text)),
    userId: orNull(fc.oneof(fc.nat(), text)),
    username: orNull(text),
    userName: orNull(text),
    roles: orNull(fc.array(fc.oneof(text, fc.record({ name: text }), fc.jsonValue({ maxDepth: 1 })), { maxLength: 3 })),
    role: orNull(fc.oneof(text, fc.record({ name: text }))),
  },
  { requiredKeys: [] },
);

const storageKey = fc.record(
  {
    id: orNull(fc.oneof(fc.nat(), text)),
    apiKey: orNull(fc.oneof(fc.constant(''), keyValue)),
    key: orNull(fc.oneof(fc.constant(''), keyValue)),
    value: orNull(fc.oneof(fc.constant(''), keyValue)),
    createdAt: orNull(vendorDate),
    created_at: orNull(vendorDate),
    userId: orNull(fc.oneof(fc.nat(), text)),
    extra: extras,
  },
  { requiredKeys: ['extra'] },
);

const storageScenario = fc.record({
  tokenField: fc.constantFrom('accessToken', 'access_token', 'token'),
  authExtra: extras,
  apiKey: fc.oneof(
    { weight: 6, arbitrary: storageKey.map((k) => ({ status: 200, key: k })) },
    { weight: 1, arbitrary: fc.constant({ status: 200, key: null }) },
    { weight: 1, arbitrary: fc.constant({ status: 404, key: null }) },
  ),
  // docs/contract.md#metadefender-storage-security: the user list is enrichment; whatever it answers must not fail the instance.
  users: fc.oneof(
    fc.record({ status: fc.constantFrom(200, 403, 404, 500, 503), body: fc.jsonValue({ maxDepth: 3 }) }),
    fc.array(storageUser, { maxLength: 5 }).map((list) => ({ status: 200, body: list })),
    fc.array(storageUser, { maxLength: 5 }).map((list) => ({ status: 200, body: { items: list, totalCount: list.length } })),
    fc.array(storageUser, { maxLength: 5 }).map((list) => ({ status: 200, body: { users: list } })),
  ),
  broken: fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: corruption({ accessToken: [5, {}, true] }).map((c) => ({ call: 'auth' as const, ...c })) },
    { weight: 1, arbitrary: corruption({ apiKey: [5, {}], id: [{}, true] }).map((c) => ({ call: 'apikey' as const, ...c })) },
    // An unreadable date costs the key that date (a warning), never the instance.
    { weight: 1, arbitrary: corruption({ createdAt: NOT_DATES.filter((d) => !/^\d+$/.test(d)) }).map((c) => ({ call: 'date' as const, ...c })) },
    { weight: 1, arbitrary: garbage.map((value) => ({ call: 'apikey-body' as const, index: 0, field: '', value })) },
  ),
});

describe('MetaDefender Storage Security replies', () => {
  it('give the caller’s key when it has one, whatever the user list says, or a format error naming the field', async () => {
    await fc.assert(
      fc.asyncProperty(storageScenario, async ({ tokenField, authExtra, apiKey, users, broken }) => {
        let auth: Record<string, unknown> = { ...authExtra, [tokenField]: TOKEN };
        const key = apiKey.key && { ...apiKey.key, createdAt: apiKey.key.createdAt?.text ?? apiKey.key.createdAt, created_at: apiKey.key.created_at?.text ?? apiKey.key.created_at };
        let keyBody: unknown = key;
        let field: string | undefined;
        let unreadable = false;
        if (broken?.call === 'auth') {
          auth = { ...auth, [broken.field]: broken.value };
          field = broken.field;
        } else if (broken?.call === 'apikey' && apiKey.status === 200) {
          keyBody = { ...(key ?? {}), [broken.field]: broken.value };
          field = broken.field;
        } else if (broken?.call === 'date' && apiKey.status === 200 && key && !key.createdAt && !key.created_at && (key.apiKey || key.key || key.value || (key.id != null && key.id !== ''))) {
          keyBody = { ...key, createdAt: broken.value };
          unreadable = true;
        } else if (broken?.call === 'apikey-body' && apiKey.status === 200) {
          keyBody = broken.value;
          field = '(the whole reply)';
        }
        lab.reply = (req) => {
          const route = pathParts(req.path).join('/');
          if (req.method === 'POST' && route === 'api/user/authenticate') return json(auth);
          if (req.method === 'GET' && route === 'api/apikey') return json(keyBody, apiKey.status);
          if (req.method === 'GET' && route === 'api/user/active/0/100') return json(users.body, users.status);
          return undefined;
        };
        const { records, result } = await readRecordingWaits(instanceFor('metadefender-storage', { username: 'prop-user', password: 'MDSS-PROP-PASSWORD-0000' }));
        expectSound(result, records);
        if (field !== undefined) return expectFormatError(result, field);
        const value = apiKey.status === 200 ? key?.apiKey || key?.key || key?.value || '' : '';
        const created = apiKey.status === 200 ? apiKey.key?.createdAt?.iso || apiKey.key?.created_at?.iso || '' : '';
        const hasId = apiKey.status === 200 && key?.id != null && key.id !== '';
        const described = !!(value || created || hasId);
        if (unreadable && (value || hasId)) expect(result.warnings).toEqual([expect.stringContaining('1 date could not be read and is left empty (createdAt')]);
        // docs/contract.md#metadefender-storage-security: a reply that names no key but is not empty is a format error, never "no key".
        const empty = !key || Object.values(key).every((v) => v === null || v === undefined || v === '');
        if (apiKey.status === 200 && !described && !empty) {
          expect(result.error?.kind, result.error?.message).toBe('format');
          return;
        }
        expect(result.error, result.error?.message).toBeUndefined();
        expect(records).toHaveLength(described ? 1 : 0);
        if (!described) return;
        expect(records[0]).toMatchObject({ key: value, owner: 'prop-user', key_id: key?.id == null ? '' : String(key.id), created, expires: '', status: 'active' });
        expect(records[0]!.roles.every((r) => typeof r === 'string')).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });
});

// ---------------------------------------------------------------- Cortex XSOAR

const MAX_EPOCH_MS = 8.64e15;
/** docs/contract.md#cortex-xsoar-xsiam-and-xdr: epoch ms; null, 0 or negative = never. */
const epoch = fc.oneof(
  fc.constantFrom(null, 0, -1, 1, MAX_EPOCH_MS, 1709544947832),
  fc.integer({ min: -2_000_000_000, max: -1 }),
  fc.date({ min: new Date(0), max: new Date(LAST), noInvalidDate: true }).map((d) => d.getTime()),
  fc.maxSafeNat().map((n) => (n % MAX_EPOCH_MS) + 1),
);
// Epoch seconds and milliseconds by magnitude: below 1e11 (March 1973 in ms, year 5138 in s) is seconds.
const epochToIso = (value: number | null | undefined) => (value == null || value <= 0 ? '' : new Date(value < 1e11 ? value * 1000 : value).toISOString());

const xsoarKey = fc.record(
  {
    id: fc.oneof(fc.nat(), nonEmpty),
    creation_time: epoch,
    created_by: text,
    user_name: orNull(text),
    roles: orNull(fc.array(text, { maxLength: 4 })),
    security_level: fc.constantFrom('standard', 'advanced'),
    comment: orNull(text),
    expiration: epoch,
    extra: extras,
  },
  { requiredKeys: ['id', 'extra'] },
).map(({ extra, ...key }) => ({ ...extra, ...key }));

const xsoarScenario = fc.record({
  // Distinct ids: the adapter merges by id (docs/contract.md#cortex-xsoar-xsiam-and-xdr), so a repeated id is one key.
  keys: fc.oneof(
    { weight: 9, arbitrary: fc.uniqueArray(xsoarKey, { selector: (k) => String(k.id), maxLength: 20 }) },
    { weight: 1, arbitrary: fc.uniqueArray(xsoarKey, { selector: (k) => String(k.id), minLength: 800, maxLength: 1500 }) },
  ),
  container: fc.constantFrom('DATA', 'data', 'bare'),
  announced: fc.nat(),
  broken: fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    {
      weight: 1,
      arbitrary: corruption({
        id: [null, {}, true],
        creation_time: ['2024-01-01', {}, MAX_EPOCH_MS + 1],
        expiration: ['never', 9e15, true, {}],
        user_name: [5],
        roles: ['admin', [5]],
      }),
    },
  ),
});

describe('Cortex XSOAR replies', () => {
  it('give one record per listed key with every expiration form of the API reference, or a format error naming the field', async () => {
    await fc.assert(
      fc.asyncProperty(xsoarScenario, async ({ keys, container, announced, broken }) => {
        let served: Record<string, unknown>[] = keys;
        const listName = container === 'DATA' ? 'DATA' : 'data';
        let field: string | undefined;
        if (broken && keys.length) {
          const i = broken.index % keys.length;
          served = keys.map((k) => ({ ...k }));
          served[i]![broken.field] = broken.value;
          field = `reply.${listName}[${i}].${broken.field}`;
        }
        const reply =
          container === 'bare'
            ? served
            : container === 'DATA'
              ? { DATA: served, FILTER_COUNT: announced, TOTAL_COUNT: announced }
              : { data: served, filter_count: announced, total_count: announced };
        // The server pages as the Cortex public APIs do (search_from/search_to, at most 100 a reply).
        lab.reply = (req) => {
          if (req.method !== 'POST' || req.path !== '/public_api/v1/api_keys/get_api_keys') return undefined;
          const { search_from = 0, search_to = 100 } = (JSON.parse(req.body) as { request_data: { search_from?: number; search_to?: number } }).request_data;
          const page = served.slice(search_from, Math.min(search_to, search_from + 100));
          return json({ reply: container === 'bare' ? page : { ...reply, [listName]: page } });
        };
        const { records, result } = await readRecordingWaits(instanceFor('cortex-xsoar', { apiKey: 'XSOAR-PROP-APIKEY-0000000000000000', apiKeyId: '7' }));
        expectSound(result, records);
        // A time that cannot be read costs that key the time (a warning naming it), never the instance.
        const unreadableTime = broken && keys.length && (broken.field === 'creation_time' || broken.field === 'expiration');
        if (field !== undefined && !unreadableTime) {
          // Pages overlap by one key, so the index within its page is not fixed; the field is.
          expect(result.error?.kind, result.error?.message).toBe('format');
          // A wrong item inside a list (roles: [5]) is named down to its index.
          expect(result.error!.message).toMatch(new RegExp(`returned an unexpected reply: field "reply\\.${listName}\\[\\d+\\]\\.${broken!.field}(\\[\\d+\\])?"`));
          return;
        }
        // A count that no page makes good is never `ok`.
        if (container !== 'bare' && announced > keys.length) expect(result.error?.kind, result.error?.message).toBe('incomplete');
        else expect(result.error, result.error?.message).toBeUndefined();
        if (unreadableTime) expect(result.warnings).toContainEqual(expect.stringContaining(`1 date could not be read and is left empty (${broken.field} of key `));
        expect(records).toHaveLength(keys.length);
        // Pages after the first are read concurrently: rows come in the order pages land.
        const byId = new Map(records.map((r) => [r.key_id, r]));
        keys.forEach((key, i) => {
          const record = byId.get(String(key.id));
          const time = (name: 'creation_time' | 'expiration') => (unreadableTime && broken.field === name && i === broken.index % keys.length ? '' : epochToIso(key[name]));
          expect(record).toMatchObject({
            key_id: String(key.id),
            key: '',
            owner: key.user_name ?? '',
            description: key.comment ?? '',
            roles: key.roles ?? [],
            created: time('creation_time'),
            expires: time('expiration'),
          });
          expect(record!.days_left === null).toBe(time('expiration') === '');
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('name a reply without a key list', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.constant({}), fc.record({ FILTER_COUNT: fc.nat() })), garbage, async (reply, body) => {
        for (const [served, field] of [
          [{ reply }, 'reply.data'],
          [body, '(the whole reply)'],
        ] as const) {
          lab.reply = () => json(served);
          const { records, result } = await readRecordingWaits(instanceFor('cortex-xsoar', { apiKey: 'XSOAR-PROP-APIKEY-0000000000000000', apiKeyId: '7' }));
          expectSound(result, records);
          expectFormatError(result, field);
        }
      }),
      { numRuns: 10 },
    );
  });
});

// ---------------------------------------------------------------- MetaDefender Vault

const VAULT_ROLES: Record<string, string> = { guest: 'Guest', user: 'User', administrator: 'Administrator' };
const vaultToken = fc.record(
  {
    token_id: fc.oneof(fc.nat(), nonEmpty),
    token: orNull(keyValue),
    description: orNull(text),
    status: orNull(fc.constantFrom('valid', 'expired', 'Expired', 'VALID', 'revoked')),
    created: orNull(vendorDate),
    expires: orNull(vendorDate),
    role: orNull(fc.oneof(fc.constantFrom('guest', 'USER', 'Administrator', 'auditor'), text)),
    extra: extras,
  },
  { requiredKeys: ['token_id', 'extra'] },
);
type GeneratedToken = typeof vaultToken extends fc.Arbitrary<infer T> ? T : never;
const servedToken = ({ extra, ...t }: GeneratedToken) => ({ ...extra, ...t, created: t.created?.text ?? t.created, expires: t.expires?.text ?? t.expires });

const vaultScenario = fc.record({
  tokens: fc.oneof(
    { weight: 9, arbitrary: fc.uniqueArray(vaultToken, { selector: (t) => String(t.token_id), maxLength: 40 }) },
    { weight: 1, arbitrary: fc.uniqueArray(vaultToken, { selector: (t) => String(t.token_id), minLength: 200, maxLength: 400 }) },
  ),
  // docs/contract.md#metadefender-vault: servers cap `count`; a page shorter than asked is not the end.
  maxCount: fc.oneof(fc.integer({ min: 1, max: 120 }), fc.constantFrom(50, 100)),
  announce: fc.constantFrom('filter', 'total', 'both', 'none', 'lie'),
  lie: fc.integer({ min: 1, max: 100_000 }),
  broken: fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    {
      weight: 1,
      arbitrary: corruption({
        expires: [...NOT_DATES, 5],
        created: [{}],
        token_id: [null, {}, true],
        token: [5],
        role: [5],
        description: [{}],
        status: [7],
      }).map((c) => ({ on: 'token' as const, ...c })),
    },
    { weight: 1, arbitrary: fc.constantFrom(-1, 'many', 1.5).map((value) => ({ on: 'page' as const, index: 0, field: 'filter_count', value })) },
  ),
});

describe('MetaDefender Vault pages', () => {
  it('give one record per token across any page cap, an incomplete error for a count that lies, or a format error naming the field', async () => {
    await fc.assert(
      fc.asyncProperty(vaultScenario, async ({ tokens, maxCount, announce, lie, broken }) => {
        const served: Record<string, unknown>[] = tokens.map(servedToken);
        const pageSize = Math.min(100, maxCount);
        let field: string | undefined;
        let pageField: [string, unknown] | undefined;
        if (broken?.on === 'token' && tokens.length) {
          const i = broken.index % tokens.length;
          served[i] = { ...served[i], [broken.field]: broken.value };
          // Pages overlap by one entry, so the index within its page is not fixed; the field is.
          field = broken.field;
        } else if (broken?.on === 'page' && announce !== 'none') {
          // A count that is no count is kept as a claim that proves nothing, never a failure.
          pageField = [broken.field, broken.value];
        }
        // Dates are read by what they are: digits are epoch time by magnitude; what is no date
        // costs that token the date (a warning), never the instance.
        let dateBroken: { i: number; field: 'created' | 'expires'; iso: string } | undefined;
        if (broken?.on === 'token' && tokens.length && (broken.field === 'created' || broken.field === 'expires')) {
          const raw = broken.value;
          const epoch = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : undefined;
          dateBroken = { i: broken.index % tokens.length, field: broken.field, iso: epoch === undefined ? '' : new Date(epoch < 1e11 ? epoch * 1000 : epoch).toISOString() };
          field = undefined;
        }
        let requests = 0;
        lab.reply = (req) => {
          const parts = pathParts(req.path);
          if (parts[0] !== 'vault_rest' || parts[1] !== 'tokens') return undefined;
          requests++;
          const start = Number(parts[2]);
          const count = Math.min(Number(parts[3]), maxCount);
          const total = served.length + (announce === 'lie' ? lie : 0);
          const page: Record<string, unknown> = { items: served.slice(start, start + count) };
          if (announce === 'filter' || announce === 'both' || announce === 'lie') page.filter_count = total;
          if (announce === 'total' || announce === 'both') page.total_count = total;
          if (pageField) page[pageField[0]] = pageField[1];
          return json(page);
        };
        const { records, result } = await readRecordingWaits(instanceFor('metadefender-vault', { apiKey: 'VAULT-PROP-APIKEY-00000000', username: 'owner' }));
        expectSound(result, records);
        // docs/contract.md#faults-and-retries: never loops; the worst honest case is one request per page plus the closing empty page.
        expect(requests).toBeLessThanOrEqual(Math.ceil(tokens.length / pageSize) * 2 + 10);
        if (field !== undefined) {
          expect(result.error?.kind, result.error?.message).toBe('format');
          expect(result.error!.message).toMatch(new RegExp(`returned an unexpected reply: field "items\\[\\d+\\]\\.${field}"`));
          return;
        }
        if (dateBroken?.iso === '') expect(result.warnings).toEqual([expect.stringContaining(`1 date could not be read and is left empty (${dateBroken.field} of key `)]);
        else expect(result.warnings).toEqual([]);
        if (announce === 'lie' && !pageField) {
          expect(result.error?.kind, result.error?.message).toBe('incomplete');
          expect(result.error!.message).toContain(`announced ${countOf(tokens.length + lie, 'key')} but delivered ${tokens.length}`);
        } else expect(result.error, result.error?.message).toBeUndefined();
        expect(records).toHaveLength(tokens.length);
        const byId = new Map(records.map((r) => [r.key_id, r]));
        for (const [i, token] of tokens.entries()) {
          const record = byId.get(String(token.token_id))!;
          if (dateBroken?.i === i) {
            expect(record[dateBroken.field]).toBe(dateBroken.iso);
            continue;
          }
          expect(record).toMatchObject({
            key: token.token ?? '',
            owner: 'owner',
            description: token.description ?? '',
            roles: token.role ? [VAULT_ROLES[token.role.toLowerCase()] ?? token.role] : [],
            created: token.created?.iso ?? '',
            expires: token.expires?.iso ?? '',
          });
          const pastDue = token.expires ? Date.parse(token.expires.iso) <= NOW.getTime() : false;
          expect(record.status).toBe(token.status?.toLowerCase() === 'expired' || pastDue ? 'expired' : 'active');
        }
      }),
      { numRuns: RUNS },
    );
  });
});

// ---------------------------------------------------------------- MetaDefender Cloud

/** docs/contract.md#metadefender-cloud: 1970-01-01 marks a free key without expiry, in whatever form the date is written. */
const NO_EXPIRY = ['1970-01-01T00:00:00.000Z', '1970-01-01T00:00:00Z', '1970-01-01T00:00:00.0000000Z', '1970-01-01 00:00:00'];

const cloudScenario = fc.record({
  info: fc.record(
    {
      nickname: orNull(text),
      paid_user: orNull(fc.oneof(fc.constantFrom(0, 1, true, false), fc.integer())),
      created_at: orNull(vendorDate),
      expiration_date: orNull(fc.oneof(vendorDate, fc.constantFrom(...NO_EXPIRY).map((t) => ({ text: t, iso: '' })))),
      extra: extras,
    },
    { requiredKeys: ['extra'] },
  ),
  broken: fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: corruption({ paid_user: ['yes', {}], nickname: [5, []], created_at: [...NOT_DATES, 5], expiration_date: ['never', true] }) },
    { weight: 1, arbitrary: garbage.map((value) => ({ index: 0, field: '', value })) },
  ),
});

describe('MetaDefender Cloud replies', () => {
  it('describe the configured key in one record, 1970 = never, or a format error naming the field', async () => {
    await fc.assert(
      fc.asyncProperty(cloudScenario, async ({ info: { extra, ...info }, broken }) => {
        let body: unknown = { ...extra, ...info, created_at: info.created_at?.text ?? info.created_at, expiration_date: info.expiration_date?.text ?? info.expiration_date };
        let field: string | undefined;
        // A date that is no date costs the key that date (a warning); digits are epoch time by magnitude.
        let dateBroken: { field: 'created_at' | 'expiration_date'; iso: string } | undefined;
        if (broken?.field === 'created_at' || broken?.field === 'expiration_date') {
          body = { ...(body as object), [broken.field]: broken.value };
          const raw = broken.value;
          const epoch = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : undefined;
          dateBroken = { field: broken.field, iso: epoch === undefined ? '' : new Date(epoch < 1e11 ? epoch * 1000 : epoch).toISOString() };
        } else if (broken?.field) {
          body = { ...(body as object), [broken.field]: broken.value };
          field = broken.field;
        } else if (broken) {
          body = broken.value;
          field = '(the whole reply)';
        }
        lab.reply = (req) => (req.path === '/v4/apikey/' ? json(body) : undefined);
        const apiKey = 'CLOUD-PROP-APIKEY-000000000000';
        const { records, result } = await readRecordingWaits(instanceFor('metadefender-cloud', { apiKey }));
        expectSound(result, records);
        if (field !== undefined) return expectFormatError(result, field);
        expect(result.error, result.error?.message).toBeUndefined();
        if (dateBroken) {
          expect(records[0]).toMatchObject({ [dateBroken.field === 'created_at' ? 'created' : 'expires']: dateBroken.iso });
          expect(result.warnings).toEqual(dateBroken.iso ? [] : [`prop-metadefender-cloud (metadefender-cloud): 1 date could not be read and is left empty (${dateBroken.field}): check it in the console`]);
          return;
        }
        expect(result.warnings).toEqual([]);
        expect(records).toEqual([
          expect.objectContaining({
            key: apiKey,
            owner: info.nickname ?? '',
            // docs/contract.md#metadefender-cloud: a paid licence's end is named; after it the key works at free limits.
            description: info.paid_user
              ? info.expiration_date?.iso
                ? expect.stringMatching(new RegExp(`^paid \\(licence (until|ended) ${info.expiration_date.iso.slice(0, 10)}`))
                : 'paid'
              : 'free',
            created: info.created_at?.iso ?? '',
            expires: info.expiration_date?.iso ?? '',
          }),
        ]);
      }),
      { numRuns: RUNS },
    );
  });
});
