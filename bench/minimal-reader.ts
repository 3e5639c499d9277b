// The floor the engine is measured against in the fleet benchmark: the least a program can do to
// read the same consoles completely (the same calls and pools; paged lists planned from the first
// page's count and ended by an empty page, as a list must end), each reply JSON.parse'd and one
// plain object kept per key, with no validation, dates, records, errors or retries.
import pLimit from 'p-limit';
import { baseUrl, type ResolvedInstance } from '../lib/config';
import type { FetchLike } from '../lib/apis/http';
import { DEFAULT_PAGE_POOL, instancePool } from '../lib/inventory';

type Json = Record<string, unknown>;
type Key = { id: unknown; owner: unknown; expires: unknown };

/** Reads every instance at once (the engine's instance pool) and returns how many keys it kept. */
export async function minimalRead(instances: readonly ResolvedInstance[], fetchLike: FetchLike): Promise<number> {
  // Keys are counted, not de-duplicated: the mocks never repeat one, and the engine's count must match.
  const limit = pLimit(instancePool(instances.length));
  const keys = await Promise.all(instances.map((instance) => limit(() => readOne(instance, fetchLike))));
  return keys.reduce((n, list) => n + list.length, 0);
}

async function readOne(instance: ResolvedInstance, fetchLike: FetchLike): Promise<Key[]> {
  const base = baseUrl(instance);
  const call = async (method: 'GET' | 'POST', path: string, headers: Record<string, string>, body?: unknown): Promise<Json> => {
    const response = await fetchLike(base + path, {
      method,
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${instance.name}: ${method} ${path} answered HTTP ${response.status}`);
    return JSON.parse(text) as Json;
  };
  const keys: Key[] = [];
  switch (instance.vendor) {
    case 'metadefender-vault': {
      const headers = { authorization: `Bearer ${instance.apiKey}` };
      const page = (start: number) => call('GET', `/vault_rest/tokens/${start}/100`, headers);
      const keep = (reply: Json) => {
        for (const t of reply.items as Json[]) keys.push({ id: t.token_id, owner: instance.username, expires: t.expires });
        return (reply.items as Json[]).length;
      };
      const first = await page(0);
      const size = keep(first);
      const total = first.filter_count as number;
      let next = size;
      await Promise.all(
        Array.from({ length: DEFAULT_PAGE_POOL }, async () => {
          while (size > 0 && next < total) {
            const start = next;
            next += size;
            keep(await page(start));
          }
        }),
      );
      // The list ends on an empty page, not on its count.
      while (size > 0 && keep(await page(keys.length)) > 0);
      return keys;
    }
    case 'cortex-xsoar':
    case 'cortex-xsiam':
    case 'cortex-xdr': {
      const ask = async (requestData: Json) => {
        const { reply } = (await call('POST', '/public_api/v1/api_keys/get_api_keys', await xsoarHeaders(instance), { request_data: requestData })) as { reply: Json };
        const data = (reply.DATA ?? reply.data) as Json[];
        for (const k of data) keys.push({ id: k.id, owner: k.user_name, expires: k.expiration });
        return { size: data.length, total: (reply.FILTER_COUNT ?? reply.filter_count) as number };
      };
      const { size, total } = await ask({});
      for (let position = size; size > 0 && position < total; position += size) await ask({ search_from: position, search_to: position + size });
      while (size > 0 && (await ask({ search_from: keys.length, search_to: keys.length + 100 })).size > 0);
      return keys;
    }
    case 'metadefender-core': {
      let apikey = instance.apiKey;
      if (!apikey) apikey = (await call('POST', '/login', {}, { user: instance.username, password: instance.password })).session_id as string;
      const users = (await call('GET', '/admin/user', { apikey })) as unknown as Json[];
      const directories = (await call('GET', '/admin/userdirectory', { apikey })) as unknown as Json[];
      const names = new Map(directories.map((d) => [d.id, d.name]));
      for (const u of users) if (u.api_key || u.apikey) keys.push({ id: u.id, owner: `${names.get(u.directory_id)}\\${u.name}`, expires: '' });
      if (!instance.apiKey) await call('POST', '/logout', { apikey });
      return keys;
    }
    case 'metadefender-storage': {
      const token = (await call('POST', '/api/user/authenticate', {}, { username: instance.username, password: instance.password })).accessToken as string;
      const headers = { authorization: `Bearer ${token}` };
      const key = await call('GET', '/api/apikey', headers);
      const users = (await call('GET', '/api/user/active/0/100', headers)).items as Json[];
      const owner = users.find((u) => u.username === instance.username)?.username;
      keys.push({ id: key.id, owner, expires: '' });
      return keys;
    }
    case 'metadefender-cloud': {
      const info = await call('GET', '/v4/apikey/', { apikey: instance.apiKey! });
      keys.push({ id: '', owner: info.nickname, expires: info.expiration_date });
      return keys;
    }
  }
}

/** docs/contract.md#cortex-xsoar-xsiam-and-xdr: a standard key as is; an advanced one as sha256(key + nonce + timestamp), as the engine sends it. */
async function xsoarHeaders(instance: ResolvedInstance): Promise<Record<string, string>> {
  const id = instance.apiKeyId!;
  if (instance.securityLevel !== 'advanced') return { authorization: instance.apiKey!, 'x-xdr-auth-id': id };
  const nonce = Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, '0')).join('');
  const timestamp = String(Date.now());
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(instance.apiKey! + nonce + timestamp));
  const hash = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
  return { authorization: hash, 'x-xdr-auth-id': id, 'x-xdr-nonce': nonce, 'x-xdr-timestamp': timestamp };
}
