import fc from 'fast-check';
import { pathParts, startMock, type MockReply, type MockServer } from './server';
import { vaultDate } from './metadefender-vault';

/**
 * A generated paged server for the completeness property (test/vendor-variants.md, "generated"):
 * MetaDefender Vault/MFT `GET /vault_rest/tokens/{start}/{count}` or Cortex
 * `POST /public_api/v1/api_keys/get_api_keys` with `search_from`/`search_to`, answering the way
 * real consoles and the proxies before them can: caps that change from one request to the next,
 * count fields renamed, omitted, null, page-sized, as text or wrong, `X-Total-Count`, repeated
 * entries, keys created and deleted while the pages are read, an HTML 404, JSON labelled HTML,
 * dates in seconds, milliseconds, .NET text or "never" spelled several ways.
 */
export type PagedVendor = 'metadefender-vault' | 'cortex-xsoar';

export interface TruthKey {
  id: number;
  secret: string;
  /** Whole seconds, so every date unit names the same instant; null = never expires. */
  expiresMs: number | null;
}

export interface PagedBehaviour {
  keys: TruthKey[];
  /** The cap of the n-th request is caps[n % caps.length]: caps change while the list is read. */
  caps: number[];
  countField: string;
  countValue: 'true' | 'null' | 'zero' | 'page-sized' | 'low' | 'high' | 'text' | 'absent';
  /** One entry served twice in a row (the list holds it twice). */
  repeatId: boolean;
  /** Before the request with this number arrives, a key is created or deleted at this position. */
  mutations: { beforeRequest: number; op: 'create' | 'delete'; position: number }[];
  dateUnit: 'iso' | 'seconds' | 'milliseconds';
  neverAs: 'absent' | 'null' | 'zero' | 'dotnet-min';
  /** Vault only: MetaDefender MFT's PascalCase. */
  pascal: boolean;
  /** The request with this number gets a proxy's HTML 404 (-1: none). */
  html404At: number;
  /** Every JSON reply labelled text/html. */
  jsonAsHtml: boolean;
}

const DAY_S = 86_400;
const NOW_S = Math.floor(Date.UTC(2026, 2, 1, 12) / 1000);

const truthKey = (id: number) =>
  fc.record({
    id: fc.constant(id),
    secret: fc.stringMatching(/^[A-Z0-9]{16,24}$/),
    expiresMs: fc.option(fc.integer({ min: -400, max: 800 }).map((days) => (NOW_S + days * DAY_S) * 1000), { nil: null }),
  });

export const pagedBehaviour: fc.Arbitrary<PagedBehaviour> = fc
  .integer({ min: 0, max: 24 })
  .chain((n) =>
    fc.record({
      keys: fc.tuple(...Array.from({ length: n }, (_, i) => truthKey(i + 1))).map((keys) => keys as TruthKey[]),
      caps: fc.array(fc.oneof({ weight: 1, arbitrary: fc.constant(1) }, { weight: 6, arbitrary: fc.integer({ min: 2, max: 12 }) }), { minLength: 1, maxLength: 3 }),
      countField: fc.constantFrom('filter_count', 'FilterCount', 'filterCount', 'total_count', 'TOTAL_COUNT', 'FILTER_COUNT', 'total', 'count', 'X-Total-Count'),
      countValue: fc.constantFrom('true', 'null', 'zero', 'page-sized', 'low', 'high', 'text', 'absent'),
      repeatId: fc.boolean(),
      mutations: fc.array(fc.record({ beforeRequest: fc.integer({ min: 1, max: 8 }), op: fc.constantFrom('create' as const, 'delete' as const), position: fc.nat(30) }), { maxLength: 2 }),
      dateUnit: fc.constantFrom('iso', 'seconds', 'milliseconds'),
      neverAs: fc.constantFrom('absent', 'null', 'zero', 'dotnet-min'),
      pascal: fc.boolean(),
      html404At: fc.oneof({ weight: 6, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 3 }) }),
      jsonAsHtml: fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    }),
  );

/** What the server held over the read: the keys present throughout must all be read; none but these may be. */
export interface PagedTruth {
  alwaysPresent(): TruthKey[];
  everPresent(): Map<string, TruthKey>;
}

export async function startGenerativePagedMock(vendor: PagedVendor, behaviour: PagedBehaviour): Promise<{ server: MockServer; truth: PagedTruth }> {
  let list = behaviour.keys.map((k) => ({ ...k }));
  const ever = new Map(list.map((k) => [String(k.id), k]));
  const deleted = new Set<string>();
  let nextId = 1000;
  let requests = 0;

  const mutate = () => {
    for (const m of behaviour.mutations) {
      if (m.beforeRequest !== requests) continue;
      if (m.op === 'create') {
        const key: TruthKey = { id: nextId++, secret: `CREATED${nextId}SECRET00`, expiresMs: null };
        ever.set(String(key.id), key);
        list.splice(m.position % (list.length + 1), 0, key);
      } else if (list.length) {
        const [gone] = list.splice(m.position % list.length, 1);
        deleted.add(String(gone!.id));
      }
    }
  };

  const entries = () => {
    if (!behaviour.repeatId || !list.length) return list;
    const copy = [...list];
    copy.splice(1, 0, copy[0]!);
    return copy;
  };

  const claimed = (all: number, page: number): unknown => {
    switch (behaviour.countValue) {
      case 'true':
        return all;
      case 'null':
        return null;
      case 'zero':
        return 0;
      case 'page-sized':
        return page;
      case 'low':
        return Math.max(0, all - 3);
      case 'high':
        return all + 5;
      case 'text':
        return String(all);
      case 'absent':
        return undefined;
    }
  };

  const date = (ms: number | null): unknown => {
    if (ms === null) return { absent: undefined, null: null, zero: 0, 'dotnet-min': vendor === 'metadefender-vault' ? '0001-01-01T00:00:00' : 0 }[behaviour.neverAs];
    if (behaviour.dateUnit === 'seconds') return ms / 1000;
    if (behaviour.dateUnit === 'milliseconds') return ms;
    return vendor === 'metadefender-vault' ? vaultDate(new Date(ms)) : ms;
  };

  const serve = (all: TruthKey[], start: number, count: number): MockReply => {
    const cap = behaviour.caps[requests % behaviour.caps.length]!;
    const page = all.slice(start, start + Math.min(count, cap));
    const value = claimed(all.length, page.length);
    const headers: Record<string, string> = behaviour.jsonAsHtml ? { 'content-type': 'text/html; charset=utf-8' } : {};
    const counts: Record<string, unknown> = {};
    if (value !== undefined) {
      if (behaviour.countField === 'X-Total-Count') headers['X-Total-Count'] = String(value);
      else counts[behaviour.countField] = value;
    }
    if (vendor === 'metadefender-vault') {
      const items = page.map((k) => {
        const expires = date(k.expiresMs);
        const token = { token_id: k.id, token: k.secret, description: `key ${k.id}`, status: 'valid', created: date(NOW_S * 1000 - DAY_S * 1000), role: 'User', ...(expires === undefined ? {} : { expires }) };
        return behaviour.pascal ? Object.fromEntries(Object.entries(token).map(([name, v]) => [name.replace(/(?:^|_)([a-z])/g, (_, c: string) => c.toUpperCase()), v])) : token;
      });
      return { json: { ...counts, [behaviour.pascal ? 'Items' : 'items']: items }, headers };
    }
    const data = page.map((k) => {
      const expiration = date(k.expiresMs);
      return { id: k.id, creation_time: date(NOW_S * 1000 - DAY_S * 1000), user_name: `user ${k.id}`, roles: ['Viewer'], comment: null, ...(expiration === undefined ? {} : { expiration }) };
    });
    return { json: { reply: { DATA: data, ...counts } }, headers };
  };

  const server = await startMock(`generated-${vendor}`, (req): MockReply | undefined => {
    mutate();
    const number = requests++;
    if (number === behaviour.html404At) return { status: 404, text: '<!DOCTYPE html><html><body><h1>404 Not Found</h1><hr>nginx</body></html>', headers: { 'content-type': 'text/html' } };
    if (vendor === 'metadefender-vault') {
      const parts = pathParts(req.path);
      if (parts[0] !== 'vault_rest' || parts[1] !== 'tokens') return undefined;
      return serve(entries(), Number(parts[2]), Number(parts[3]));
    }
    if (req.method !== 'POST' || req.path !== '/public_api/v1/api_keys/get_api_keys') return undefined;
    const data = (JSON.parse(req.body) as { request_data: { search_from?: number; search_to?: number; filters?: { value: number }[] } }).request_data;
    const from = data.search_from ?? 0;
    const to = data.search_to ?? from + 100;
    const expiredOnly = data.filters?.[0]?.value;
    const all = expiredOnly === undefined ? entries() : entries().filter((k) => k.expiresMs !== null && k.expiresMs <= expiredOnly);
    return serve(all, from, to - from);
  });
  return {
    server,
    truth: {
      alwaysPresent: () => behaviour.keys.filter((k) => !deleted.has(String(k.id))),
      everPresent: () => ever,
    },
  };
}

/** The expiry a reader must report for a key: ISO 8601 UTC, '' for never. */
export const expectedExpiry = (key: TruthKey) => (key.expiresMs === null ? '' : new Date(key.expiresMs).toISOString());
