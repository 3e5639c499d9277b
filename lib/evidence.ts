import { z } from 'zod';
import { baseUrl, type ResolvedInstance } from './config';
import type { InstanceResult } from './inventory';
import { COVERAGES } from './coverage';
import { OUTCOMES, outcomeOf } from './outcome';
import { VENDOR_IDS } from './vendors';

/**
 * The evidence file (docs/completeness.md): what an auditor needs to trust an export — per
 * instance what was asked, what the server claimed, what was read and what the credential can see,
 * and the hash of the file it describes. It never holds a secret: origins only (no path, no
 * credentials), counts and messages that were redacted when they were made.
 */

const count = z.number().int().nonnegative();

const claimSchema = z.strictObject({
  list: z.string(),
  pass: count,
  source: z.string(),
  value: count.nullable(),
  raw: z.string().optional(),
  credible: z.boolean(),
  superset: z.array(z.string()).optional(),
  times: count,
});

const listSchema = z.strictObject({
  name: z.string(),
  passes: count,
  pages: count,
  items: count,
  distinct: count,
  end: z.enum(['empty-page', 'whole-reply', 'unfinished']),
  moving: z.boolean(),
});

export const ledgerSchema = z.strictObject({
  requests: count,
  pages: count,
  itemsSeen: count,
  distinctKeys: count,
  repeatedIds: count,
  unreadableDates: count,
  claims: z.array(claimSchema),
  lists: z.array(listSchema),
});

const instanceSchema = z.strictObject({
  name: z.string(),
  vendor: z.enum(VENDOR_IDS),
  /** Scheme, host and port only. */
  origin: z.string(),
  coverage: z.enum(COVERAGES),
  outcome: z.enum(OUTCOMES),
  /** The failure kind (`incomplete`, `auth`, `paging`…), null when read. */
  errorKind: z.string().nullable(),
  error: z.string().nullable(),
  warnings: z.array(z.string()),
  /** Keys read from this instance (kept even when it failed). */
  keys: count,
  ledger: ledgerSchema,
});

export const evidenceSchema = z.strictObject({
  $schema: z.string().optional(),
  tool: z.strictObject({ name: z.string(), version: z.string() }),
  /** When the inventory was read, ISO 8601 UTC. */
  generatedAt: z.string(),
  file: z.strictObject({
    name: z.string().nullable(),
    format: z.enum(['csv', 'json', 'ndjson']),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    rows: count,
  }),
  instances: z.array(instanceSchema),
});

export type Evidence = z.infer<typeof evidenceSchema>;

export interface EvidenceInput {
  version: string;
  now: Date;
  instances: readonly Pick<ResolvedInstance, 'name' | 'vendor' | 'url'>[];
  results: readonly InstanceResult[];
  /** The exact text written (hashed as UTF-8), its rows and format, and its file name when known. */
  file: { text: string; rows: number; format: 'csv' | 'json' | 'ndjson'; name?: string };
}

/** WebCrypto, not node:crypto: the extension builds the same file. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export async function buildEvidence(input: EvidenceInput): Promise<Evidence> {
  const byName = new Map(input.instances.map((i) => [i.name, i]));
  return {
    tool: { name: 'keyatlas', version: input.version },
    generatedAt: input.now.toISOString(),
    file: { name: input.file.name ?? null, format: input.file.format, sha256: await sha256Hex(input.file.text), rows: input.file.rows },
    instances: input.results.map((result) => {
      const instance = byName.get(result.instance);
      return {
        name: result.instance,
        vendor: result.vendor,
        // The origin alone: a URL's path or userinfo could carry a token.
        origin: instance ? new URL(baseUrl(instance)).origin : '',
        coverage: result.coverage,
        outcome: outcomeOf(result.error?.kind, result.warnings),
        errorKind: result.error?.kind ?? null,
        error: result.error?.message ?? null,
        warnings: result.warnings,
        keys: result.count,
        ledger: result.ledger,
      };
    }),
  };
}

export const evidenceText = (evidence: Evidence) => JSON.stringify(evidence, null, 2) + '\n';
