import { z } from 'zod';
import { countOf } from '../plural';
import type { RecordFields } from '../record';
import { vendorDate } from './dates';
import type { AdapterContext, VendorAdapter } from './types';

/** Entries asked for per page; seed 003: servers cap `count`, so a reply may hold fewer. */
const ASK = 100;
/** Without an announced total nothing bounds the list, so this is the only brake (100,000 keys at 100 a page). */
const MAX_REQUESTS_UNKNOWN_TOTAL = 1_010;

// seed 003: "Possible values: Guest, User, Administrator", while its own example says "guest" and "user".
const ROLES = new Map(['Guest', 'User', 'Administrator'].map((role) => [role.toLowerCase(), role]));

/**
 * SPEC §1: MetaDefender MFT, Vault's successor, answers in PascalCase (`Items`, `FilterCount`,
 * `TokenId`): field names are matched ignoring case and underscores, then read by seed 003's names.
 */
function seedFieldNames(fields: readonly string[]) {
  const byLoose = new Map(fields.map((field) => [looseName(field), field]));
  return (value: unknown) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    return Object.fromEntries(Object.entries(value).map(([name, field]) => [byLoose.get(looseName(name)) ?? name, field]));
  };
}
const looseName = (name: string) => name.replace(/_/g, '').toLowerCase();

const tokenSchema = z.preprocess(
  seedFieldNames(['token_id', 'token', 'description', 'status', 'created', 'expires', 'role']),
  z.looseObject({
    token_id: z.union([z.number(), z.string()]).transform(String),
    token: z.string().nullish(),
    description: z.string().nullish(),
    status: z.string().nullish(),
    created: vendorDate,
    expires: vendorDate,
    role: z.string().nullish(),
  }),
);
type Token = z.infer<typeof tokenSchema>;

// A page without its list is a format error, never an empty success (SPEC §1).
const pageSchema = z.preprocess(
  seedFieldNames(['filter_count', 'total_count', 'items']),
  z.looseObject({
    filter_count: z.number().int().nonnegative().nullish(),
    total_count: z.number().int().nonnegative().nullish(),
    items: z.array(tokenSchema, { error: (issue) => (issue.input == null ? 'is missing (expected the token list as "items")' : undefined) }),
  }),
);

export const metadefenderVault = {
  id: 'metadefender-vault',
  errors: {
    // seed 003 does not document its error body: accept the shapes OPSWAT products use.
    message(body) {
      for (const field of ['err', 'error', 'message']) {
        const value = (body as Record<string, unknown> | null)?.[field];
        if (typeof value === 'string' && value) return value;
      }
      return undefined;
    },
    authHint: 'Check that the key is a valid MetaDefender Vault API key and that its user is allowed to list API keys (vault_rest/tokens).',
  },
  async list(ctx) {
    const credential = ctx.instance.apiKey ?? ctx.instance.sessionToken;
    if (!credential) throw ctx.http.fail('auth', 'no API key is configured: add the Vault API key to this instance');
    await new TokenPager(ctx, `Bearer ${credential}`).run();
  },
} satisfies VendorAdapter;

/**
 * seed 003 pages by start/count and announces filter_count; SPEC §6/§7: the first page reveals the
 * total and the server's page size, the rest come concurrently; a server that repeats pages or
 * needs endless requests ends with a 'paging' error instead of a loop, and one that stops short of
 * its count is found short by the engine.
 */
class TokenPager {
  private readonly seen = new Set<string>();
  /** [start, end) ranges of list positions already delivered, to find where the data stops. */
  private readonly covered: [number, number][] = [];
  private total: number | undefined;
  private requests = 0;
  private maxRequests = MAX_REQUESTS_UNKNOWN_TOTAL;

  constructor(
    private readonly ctx: AdapterContext,
    private readonly authorization: string,
  ) {}

  async run(): Promise<void> {
    const pageSize = await this.fetch(0, ASK);
    if (pageSize === 0) return;
    if (this.total !== undefined) {
      this.maxRequests = Math.ceil(this.total / pageSize) * 2 + 10;
      await this.fetchConcurrently(pageSize, this.total);
    }
    while (this.total === undefined || this.seen.size < this.total) {
      const start = this.firstGap();
      // An empty page ends the list; short of the announced total, the engine ends it `incomplete`.
      if ((await this.fetch(start, ASK)) === 0) return;
    }
  }

  /**
   * A pool of workers pulling the next position, rather than one task per planned page: a count
   * that lies by millions must not plan millions of tasks.
   */
  private async fetchConcurrently(pageSize: number, total: number): Promise<void> {
    // An error or an empty page stops new requests; pages already under way still land, so their rows count.
    let halt = false;
    let failure: unknown;
    let next = pageSize;
    const worker = async () => {
      while (!halt && next < total) {
        const start = next;
        next += pageSize;
        try {
          if ((await this.fetch(start, pageSize)) === 0) halt = true;
        } catch (error) {
          halt = true;
          failure ??= error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, this.ctx.pagePool) }, worker));
    if (failure) throw failure;
  }

  /** Reads one page, emits its new keys and returns how many entries it held. */
  private async fetch(start: number, count: number): Promise<number> {
    if (++this.requests > this.maxRequests)
      throw this.ctx.http.fail('paging', `gave up after ${this.maxRequests} requests with ${this.readOfTotal()}: the server's paging does not add up; the keys read are kept`);
    const page = await this.ctx.http.json({
      method: 'GET',
      path: `/vault_rest/tokens/${start}/${count}`,
      headers: { authorization: this.authorization },
      schema: pageSchema,
    });
    if (this.total === undefined) {
      this.total = page.filter_count ?? page.total_count ?? undefined;
      if (this.total !== undefined) this.ctx.announce(this.total);
    }
    const items = page.items;
    const fresh = items.filter((token) => !this.seen.has(token.token_id));
    if (items.length > 0 && fresh.length === 0)
      throw this.ctx.http.fail('paging', `the page at position ${start} only repeats keys already read (the server seems to ignore the start position): ${this.readOfTotal()}; the keys read are kept`);
    for (const token of fresh) {
      this.seen.add(token.token_id);
      this.ctx.emit(this.toRecord(token));
    }
    if (items.length > 0) this.covered.push([start, start + items.length]);
    this.ctx.progress?.(this.seen.size, this.total);
    return items.length;
  }

  /** The first list position no page has delivered yet. */
  private firstGap(): number {
    let gap = 0;
    for (const [start, end] of [...this.covered].sort((a, b) => a[0] - b[0])) if (start <= gap && end > gap) gap = end;
    return gap;
  }

  private readOfTotal(): string {
    return `read ${this.seen.size} of ${this.total === undefined ? 'an unknown number of keys' : countOf(this.total, 'key')}`;
  }

  private toRecord(token: Token): RecordFields {
    return {
      instance: this.ctx.instance.name,
      vendor: this.ctx.instance.vendor,
      owner: this.ctx.instance.username ?? '',
      directory: '',
      key_id: token.token_id,
      key: token.token ?? '',
      description: token.description ?? '',
      roles: token.role ? [ROLES.get(token.role.toLowerCase()) ?? token.role] : [],
      created: token.created,
      expires: token.expires,
      vendorSaysExpired: token.status?.toLowerCase() === 'expired',
    };
  }
}
