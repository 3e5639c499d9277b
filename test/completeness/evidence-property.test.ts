/**
 * The completeness contract as a property (docs/completeness.md): for ANY reply a paged server can
 * send, the outcome is either every key exactly once and `ok`, or a failure with every key read
 * kept — never `ok` with a key missing, doubled or misread. Servers are generated
 * (test/mock-vendors/paged-generative.ts) and answer over real HTTP on 127.0.0.1.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ResolvedInstance } from '../../lib/config';
import { readInstance } from '../../lib/inventory';
import { expectedExpiry, pagedBehaviour, startGenerativePagedMock, type PagedVendor } from '../mock-vendors/paged-generative';

const NOW = new Date(Date.UTC(2026, 2, 1, 12));

const instanceFor = (vendor: PagedVendor, url: string): ResolvedInstance =>
  vendor === 'metadefender-vault'
    ? { name: 'gen-vault', vendor, url, apiKey: 'VAULT-GENERATED-APIKEY-0000' }
    : { name: 'gen-cortex', vendor, url, apiKey: 'CORTEX-GENERATED-APIKEY-0000', apiKeyId: '9' };

describe.each<PagedVendor>(['metadefender-vault', 'cortex-xsoar'])('any reply of a generated %s server', (vendor) => {
  it('ends ok with every key exactly once and read right, or failed with every key read kept', async () => {
    await fc.assert(
      fc.asyncProperty(pagedBehaviour, async (behaviour) => {
        const { server, truth } = await startGenerativePagedMock(vendor, behaviour);
        try {
          const { records, result } = await readInstance(instanceFor(vendor, server.url), { pagePool: 3, http: { sleep: async () => {} } }, NOW);
          expect(result.error?.kind, result.error?.message).not.toBe('internal');
          expect(result.count).toBe(records.length);
          // Never a key twice, never a key the server did not hold, never a key misread.
          const ids = records.map((r) => r.key_id);
          expect(new Set(ids).size, 'a key is doubled').toBe(ids.length);
          const ever = truth.everPresent();
          for (const record of records) {
            const key = ever.get(record.key_id);
            expect(key, `row ${record.key_id} is no key of the server`).toBeDefined();
            expect(record.expires, `expiry of ${record.key_id}`).toBe(expectedExpiry(key!));
            if (vendor === 'metadefender-vault') expect(record.key).toBe(key!.secret);
          }
          if (!result.ok) return;
          // ok: every key present throughout the read is there.
          const read = new Set(ids);
          const missing = truth.alwaysPresent().filter((k) => !read.has(String(k.id)));
          expect(missing.map((k) => k.id), 'ok with keys missing').toEqual([]);
          // The evidence agrees with the rows.
          expect(result.ledger.distinctKeys).toBe(records.length);
          expect(result.ledger.lists.every((l) => l.end !== 'unfinished' && !l.moving)).toBe(true);
        } finally {
          await server.close();
        }
      }),
      { numRuns: 40 },
    );
  });
});
