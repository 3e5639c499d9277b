import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { readReply as readXsoarReply, replySchema as xsoarReplySchema } from './cortex-xsoar';
import { pageSchema as vaultPageSchema, readPage as readVaultPage } from './metadefender-vault';

// Each adapter's hand-written reading (RequestSpec.fast) against its zod schema, on generated
// replies well-formed and malformed: it may decline anything, but what it reads the schema must
// accept and read the same way; and the replies vendors send must take the fast path.

/** Values of every JSON type, and undefined (a missing field), for fields that should hold something else. */
const anyJson = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constant(''),
  fc.string({ maxLength: 8 }),
  fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }),
);

/** A value that is usually `good`, sometimes anything else. */
const mostly = <T>(good: fc.Arbitrary<T>) => fc.oneof({ weight: 5, arbitrary: good }, { weight: 1, arbitrary: anyJson });

/** Drops undefined fields, as a JSON reply cannot carry them. */
const defined = (record: Record<string, unknown>) => Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));

function sameReading<T>(schema: z.ZodType<T>, fast: (value: unknown) => T | undefined, value: unknown, project: (read: T) => unknown): boolean {
  const read = fast(value);
  const parsed = schema.safeParse(value);
  if (read === undefined) return false;
  expect(parsed.success, 'the fast path read a reply the schema refuses').toBe(true);
  expect(project(read)).toEqual(project(parsed.data!));
  return true;
}

const dateText = fc.oneof(
  fc.integer({ min: 0, max: 4e12 }).map((ms) => new Date(ms).toISOString().replace('Z', '0000Z')),
  fc.constantFrom('2026-03-01', '2026-03-01 12:00:00', '0001-01-01T00:00:00', '1700000000', 'soon', ''),
);

describe('Vault / MFT token pages', () => {
  const fields = ['token_id', 'token', 'description', 'status', 'created', 'expires', 'role'] as const;
  const spellings: Record<(typeof fields)[number], string[]> = {
    token_id: ['token_id', 'TokenId', 'tokenId'],
    token: ['token', 'Token'],
    description: ['description', 'Description'],
    status: ['status', 'Status'],
    created: ['created', 'Created'],
    expires: ['expires', 'Expires'],
    role: ['role', 'Role'],
  };
  const wellFormedToken = fc.record(
    {
      token_id: fc.oneof(fc.nat(), fc.string({ minLength: 1, maxLength: 6 })),
      token: fc.option(fc.string({ maxLength: 12 }), { nil: null }),
      description: fc.option(fc.string({ maxLength: 12 })),
      status: fc.constantFrom('valid', 'expired', 'Expired', null),
      created: fc.option(dateText, { nil: null }),
      expires: fc.option(dateText, { nil: null }),
      role: fc.option(fc.constantFrom('guest', 'User', 'ADMINISTRATOR', 'Auditor')),
    },
    { requiredKeys: ['token_id'] },
  );
  const spell = (pascal: boolean) => (token: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(token).map(([field, value]) => [spellings[field as (typeof fields)[number]][pascal ? 1 : 0]!, value]));
  const wellFormedPage = fc.tuple(fc.boolean(), fc.array(wellFormedToken, { maxLength: 5 }), fc.nat({ max: 500 })).map(([pascal, tokens, count]) =>
    pascal ? { FilterCount: count, Items: tokens.map(spell(true)), TotalCount: count } : { filter_count: count, items: tokens.map(spell(false)), total_count: count },
  );
  const anyToken = fc.oneof(
    { weight: 4, arbitrary: fc.record(Object.fromEntries(fields.map((f) => [f, mostly<unknown>(f === 'token_id' ? fc.nat() : fc.string({ maxLength: 6 }))])), { requiredKeys: [] }) },
    {
      weight: 2,
      arbitrary: fc.dictionary(fc.constantFrom(...Object.values(spellings).flat(), 'extra', 'token-id', 'TOKEN_ID', '__proto__'), anyJson, { maxKeys: 5 }),
    },
    { weight: 1, arbitrary: anyJson },
  );
  const anyPage = fc.oneof(
    wellFormedPage,
    fc.record({ items: mostly(fc.array(anyToken, { maxLength: 4 })), filter_count: mostly(fc.nat()), Items: fc.option(fc.array(anyToken, { maxLength: 2 }), { nil: undefined }) }).map(defined),
    fc.dictionary(fc.constantFrom('items', 'Items', 'ITEMS', 'filter_count', '__proto__', 'tokens_page'), anyJson, { maxKeys: 3 }),
    anyJson,
  );
  const project = (page: z.infer<typeof vaultPageSchema>) => ({
    ...page,
    items: page.items.map((t) => Object.fromEntries(fields.map((f) => [f, t[f]]))),
  });

  it('reads every well-formed page, in Vault’s and MFT’s spelling, as the schema does', () => {
    fc.assert(fc.property(wellFormedPage, (page) => {
        expect(sameReading(vaultPageSchema, readVaultPage, page, project)).toBe(true);
      }), { numRuns: 300 });
  });

  it('never reads a page the schema refuses, nor differently from it', () => {
    fc.assert(fc.property(anyPage, (page) => {
        sameReading(vaultPageSchema, readVaultPage, page, project);
      }), { numRuns: 1500 });
  });
});

describe('Cortex XSOAR key pages', () => {
  const fields = ['id', 'creation_time', 'user_name', 'roles', 'comment', 'expiration'] as const;
  const epoch = fc.oneof(fc.integer({ min: -1, max: 4e12 }), fc.constantFrom(0, null, 1_700_000_000, '1700000000000', ' 12 ', 'never', 1.5));
  const wellFormedKey = fc.record(
    {
      id: fc.oneof(fc.nat(), fc.string({ minLength: 1, maxLength: 6 })),
      creation_time: epoch,
      created_by: fc.string({ maxLength: 6 }),
      user_name: fc.option(fc.string({ maxLength: 10 }), { nil: null }),
      roles: fc.option(fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }), { nil: null }),
      security_level: fc.constantFrom('standard', 'advanced'),
      comment: fc.oneof(fc.string({ maxLength: 8 }), fc.constant(null), fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 })),
      expiration: epoch,
    },
    { requiredKeys: ['id'] },
  );
  const counts = (n: number, upper: boolean) => (upper ? { FILTER_COUNT: n, TOTAL_COUNT: n } : { filter_count: n, total_count: n });
  const wellFormedReply = fc
    .tuple(fc.boolean(), fc.array(wellFormedKey, { maxLength: 5 }), fc.nat({ max: 500 }))
    .map(([upper, keys, n]) => ({ reply: { [upper ? 'DATA' : 'data']: keys, ...counts(n, upper) } }));
  const anyKey = fc.oneof(
    { weight: 4, arbitrary: fc.record(Object.fromEntries(fields.map((f) => [f, mostly<unknown>(f === 'id' ? fc.nat() : f === 'roles' ? fc.array(mostly(fc.string({ maxLength: 3 })), { maxLength: 2 }) : fc.string({ maxLength: 6 }))])), { requiredKeys: [] }) },
    { weight: 1, arbitrary: anyJson },
  );
  const anyList = mostly(fc.array(anyKey, { maxLength: 4 }));
  const anyReply = fc.oneof(
    wellFormedReply,
    fc.record({ reply: mostly(fc.record({ data: anyList, DATA: anyList, FILTER_COUNT: mostly(fc.nat()) }, { requiredKeys: [] }).map(defined)), extra: anyJson }, { requiredKeys: ['reply'] }).map(defined),
    fc.record({ reply: fc.array(anyKey, { maxLength: 3 }) }),
    anyJson,
  );
  const project = (body: z.infer<typeof xsoarReplySchema>) => {
    const pick = (keys: unknown) => (keys as Record<string, unknown>[] | undefined)?.map((k) => Object.fromEntries(fields.map((f) => [f, k[f]])));
    const reply = body.reply as Record<string, unknown>;
    return { ...body, reply: { ...reply, data: pick(reply.data), DATA: pick(reply.DATA) } };
  };

  it('reads every well-formed reply, DATA or data, as the schema does', () => {
    fc.assert(
      fc.property(wellFormedReply, (body) => {
        expect(sameReading(xsoarReplySchema, readXsoarReply, body, project)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('never reads a reply the schema refuses, nor differently from it', () => {
    fc.assert(
      fc.property(anyReply, (body) => {
        sameReading(xsoarReplySchema, readXsoarReply, body, project);
      }),
      { numRuns: 1500 },
    );
  });
});
