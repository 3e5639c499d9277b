import { randomBytes } from 'node:crypto';
import { header, pathParts, startMock, type MockOptions, type MockReply, type MockServer } from './server';

/** Recognisable fake secrets, so secret-hygiene tests can grep every output for them. */
export const VAULT_ADMIN_KEY = 'VAULT-ADMIN-APIKEY-5f0c2e9a7d4b41c8';
export const VAULT_USERNAME = 'vault.admin';
export const VAULT_ADMIN_PASSWORD = 'VAULT-ADMIN-PASSWORD-m4!Qz8#rT1';

/** One entry of docs/contract.md#metadefender-vault's `items`. */
export interface VaultToken {
  token_id: number;
  token: string;
  description: string;
  status: 'valid' | 'expired';
  created: string;
  /** Absent on a token that never expires. */
  expires?: string;
  role: string;
}

export interface VaultMockOptions extends MockOptions {
  /** Keys accepted as `Bearer` (API keys or console session tokens); default [VAULT_ADMIN_KEY]. */
  apiKeys?: string[];
  /** Who may sign in through GET /vault_rest/authenticate; default the admin with VAULT_ADMIN_PASSWORD. */
  users?: { username: string; password: string }[];
  /** The data; default: the demo tokens, or `generate` tokens when set. */
  tokens?: VaultToken[];
  generate?: number;
  /** The clock the demo data is relative to. */
  now?: Date;
  /** docs/contract.md#metadefender-vault: servers cap `count`; default 50. */
  maxCount?: number;
  /** Faults: announce this many more entries than exist. */
  lieAboutTotal?: number;
  /** Ignore `start`: every page is the first one. */
  repeatPage?: boolean;
  /** The page starting at this position comes back empty. */
  emptyPageAt?: number;
  /**
   * Variants (test/vendor-variants.md): `pascal-case` answers as MetaDefender MFT does (`Items`,
   * `FilterCount`, `TokenId`…); `no-list` answers each page without any token list.
   */
  variant?: 'pascal-case' | 'no-list';
}

const DAY = 86_400_000;

/** docs/contract.md#metadefender-vault writes .NET dates: 7 fractional digits. */
export function vaultDate(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
}

/** Seed 003's own example tokens, then keys around `now` with the quirks a real list has. */
export function vaultDemoTokens(now: Date): VaultToken[] {
  const at = (days: number) => vaultDate(new Date(now.getTime() + days * DAY));
  return [
    { token_id: 1, token: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', description: 'Metadefender access token', status: 'valid', created: '2015-07-02T12:00:00.0000000Z', expires: '2016-01-01T12:00:00.0000000Z', role: 'guest' },
    { token_id: 2, token: 'BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB', description: '3rd party access token', status: 'expired', created: '2015-01-02T12:00:00.0000000Z', expires: '2015-06-01T12:00:00.0000000Z', role: 'user' },
    { token_id: 3, token: 'VAULT-TOKEN-0003-ci-pipeline-9d2f', description: 'CI pipeline for Zoë', status: 'valid', created: at(-200), expires: at(3), role: 'Administrator' },
    { token_id: 4, token: 'VAULT-TOKEN-0004-reports-71ab', description: '<b>markup</b> & reports', status: 'valid', created: at(-45), expires: at(20), role: 'GUEST' },
    { token_id: 5, token: 'VAULT-TOKEN-0005-formula-c0de', description: '=HYPERLINK("http://evil.example","open")', status: 'expired', created: at(-400), expires: at(-10), role: 'USER' },
    // Revoked early: the vendor says expired although the date is ahead.
    { token_id: 6, token: 'VAULT-TOKEN-0006-revoked-e11e', description: 'revoked, "quoted", comma', status: 'expired', created: at(-30), expires: at(5), role: 'User' },
    { token_id: 7, token: 'VAULT-TOKEN-0007-backup-4b1d', description: 'Nightly backup\nsecond line', status: 'valid', created: new Date(now.getTime() - 90 * DAY).toISOString(), expires: at(400), role: 'administrator' },
    { token_id: 8, token: 'VAULT-TOKEN-0008-auditor-aa01', description: '', status: 'valid', created: at(-10), role: 'Auditor' },
  ];
}

const ROLE_SPELLINGS = ['Guest', 'user', 'ADMINISTRATOR', 'guest', 'User', 'Administrator'];

/** `count` tokens with spread expiries (benchmarks ask for 10,000). */
export function generateVaultTokens(count: number, now: Date): VaultToken[] {
  return Array.from({ length: count }, (_, i) => {
    const expires = new Date(now.getTime() + (((i * 37) % 420) - 30) * DAY);
    return {
      token_id: i + 1,
      token: `VAULT-TOKEN-${String(i + 1).padStart(6, '0')}-${(i * 2654435761 % 2 ** 32).toString(16).padStart(8, '0')}`,
      description: `generated token ${i + 1}`,
      status: expires.getTime() <= now.getTime() ? 'expired' : 'valid',
      created: vaultDate(new Date(now.getTime() - ((i % 300) + 1) * DAY)),
      expires: vaultDate(expires),
      role: ROLE_SPELLINGS[i % ROLE_SPELLINGS.length]!,
    };
  });
}

const SORT_FIELDS: Record<string, keyof VaultToken> = { token: 'token', created: 'created', expires: 'expires', description: 'description', role: 'role' };

/**
 * MetaDefender Vault's `GET /vault_rest/tokens/{start}/{count}` (docs/contract.md#metadefender-vault) and its sign-in,
 * `GET /vault_rest/authenticate` with `Authorization: Basic base64(user CR LF password)` → `{token,
 * expires, user_id}` ("Request An API Key", https://onlinehelp.opswat.com/vault/Request_An_API_Key.html),
 * whose token the web console then sends as `Bearer` — a console session.
 */
export async function startVaultMock(options: VaultMockOptions = {}): Promise<MockServer> {
  const now = options.now ?? new Date();
  const tokens = options.tokens ?? (options.generate !== undefined ? generateVaultTokens(options.generate, now) : vaultDemoTokens(now));
  const apiKeys = options.apiKeys ?? [VAULT_ADMIN_KEY];
  const users = options.users ?? [{ username: VAULT_USERNAME, password: VAULT_ADMIN_PASSWORD }];
  /** session token → user id */
  const sessions = new Map<string, number>();
  return startMock(
    'metadefender-vault',
    (req): MockReply | undefined => {
      const parts = pathParts(req.path);
      if (req.method === 'GET' && parts.length === 2 && parts[0] === 'vault_rest' && parts[1] === 'authenticate') return authenticate(header(req, 'authorization'));
      if (req.method !== 'GET' || parts.length !== 4 || parts[0] !== 'vault_rest' || parts[1] !== 'tokens') return undefined;
      const authorization = header(req, 'authorization');
      if (!authorization) return { status: 401, json: { err: 'Invalid parameter' } };
      const key = /^Bearer (.+)$/.exec(authorization)?.[1];
      if (!key || (!apiKeys.includes(key) && !sessions.has(key))) return { status: 403, json: { err: 'API key is incorrect' } };
      if (!/^\d+$/.test(parts[2]!) || !/^\d+$/.test(parts[3]!)) return { status: 400, json: { err: 'Bad Request' } };
      const start = options.repeatPage ? 0 : Number(parts[2]);
      const count = Math.min(Number(parts[3]), options.maxCount ?? 50);
      const filtered = sortTokens(findTokens(tokens, req), header(req, 'sort_column'), header(req, 'sort_direction'));
      const lie = options.lieAboutTotal ?? 0;
      const page = {
        filter_count: filtered.length + lie,
        items: start === options.emptyPageAt ? [] : filtered.slice(start, start + count),
        total_count: tokens.length + lie,
      };
      if (options.variant === 'no-list') return { json: { filter_count: page.filter_count, total_count: page.total_count, tokens_page: 'unsupported' } };
      return { json: options.variant === 'pascal-case' ? pascalCase(page) : page };
    },
    options,
  );

  function authenticate(authorization: string | undefined): MockReply {
    const basic = /^Basic (.+)$/.exec(authorization ?? '')?.[1];
    if (!basic) return { status: 401, json: { err: 'Invalid parameter' } };
    // The vendor separates user name and password with a line break, not a colon.
    const [username, password] = Buffer.from(basic, 'base64').toString('utf8').split('\r\n');
    const at = users.findIndex((u) => u.username === username && u.password === password);
    if (at < 0) return { status: 403, json: { err: 'Authentication credentials are incorrect' } };
    const token = `VAULT-SESSION-${randomBytes(15).toString('hex')}`;
    sessions.set(token, at + 1);
    return { json: { expires: vaultDate(new Date(Date.now() + 3_600_000)), token, user_id: at + 1 } };
  }
}

// docs/contract.md#metadefender-vault: find searches Token and Description; findB64 (UTF-8, base64) overrides it.
function findTokens(tokens: VaultToken[], req: Parameters<typeof header>[0]): VaultToken[] {
  const b64 = header(req, 'findB64');
  const find = (b64 ? Buffer.from(b64, 'base64').toString('utf8') : header(req, 'find'))?.toLowerCase();
  if (!find) return tokens;
  return tokens.filter((t) => t.token.toLowerCase().includes(find) || t.description.toLowerCase().includes(find));
}

function sortTokens(tokens: VaultToken[], column: string | undefined, direction: string | undefined): VaultToken[] {
  const field = column ? SORT_FIELDS[column.toLowerCase()] : undefined;
  if (!field) return tokens;
  const sign = direction?.toLowerCase() === 'desc' ? -1 : 1;
  return [...tokens].sort((a, b) => sign * String(a[field] ?? '').localeCompare(String(b[field] ?? '')));
}

/** `filter_count` → `FilterCount`, deep, as MetaDefender MFT's .NET serializer writes it. */
function pascalCase(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pascalCase);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([name, field]) => [name.replace(/(?:^|_)([a-z])/g, (_, letter: string) => letter.toUpperCase()), pascalCase(field)]),
  );
}
