/**
 * Chrome's `storage.managed_schema` (public/managed_schema.json) from the one zod schema of the
 * policy (lib/managed.ts), so the two cannot drift; test/managed-schema.test.ts fails when the
 * committed file is stale.
 *
 *   npx tsx scripts/managed-schema.ts
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { managedPolicySchema } from '../lib/managed';

/**
 * Types and names only. Chrome validates each policy value as a whole and silently drops one that
 * breaks its schema: with the zod schema's enums, ranges and required fields there, one mistyped
 * vendor made Chrome drop the whole `instances` list, valid entries too, and Options never heard of
 * it. parseManagedPolicy checks those per field and per entry and reports what it drops. Types stay:
 * Chrome needs them to read a policy (Windows hands arrays and objects over as JSON strings).
 * Chrome refuses to load an extension whose schema uses keywords it does not know; its
 * additionalProperties wants a schema, not zod's boolean, and is left out too.
 */
const CHROME_KEYWORDS = new Set(['type', 'properties', 'items', 'description', 'title']);

function chromeSubset(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(chromeSubset);
  if (typeof node !== 'object' || node === null) return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key]) => CHROME_KEYWORDS.has(key))
      // `properties` holds names, not keywords: keep every one of them.
      .map(([key, value]) => [key, key === 'properties' ? Object.fromEntries(Object.entries(value as object).map(([name, v]) => [name, chromeSubset(v)])) : chromeSubset(value)]),
  );
}

export function chromeManagedSchema(): unknown {
  return chromeSubset(z.toJSONSchema(managedPolicySchema, { io: 'input' }));
}

export const MANAGED_SCHEMA_FILE = join(resolve(import.meta.dirname, '..'), 'public', 'managed_schema.json');

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  writeFileSync(MANAGED_SCHEMA_FILE, `${JSON.stringify(chromeManagedSchema(), null, 2)}\n`);
  console.log(`wrote ${MANAGED_SCHEMA_FILE}`);
}
