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
 * The keywords Chrome's policy schema knows; it refuses to load an extension whose schema uses
 * others. additionalProperties is left out too: Chrome wants a schema there, not zod's boolean;
 * unknown policy keys are reported by parseManagedPolicy instead.
 */
const CHROME_KEYWORDS = new Set(['type', 'properties', 'items', 'enum', 'minimum', 'maximum', 'required', 'description', 'title']);

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
