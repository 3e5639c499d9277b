// Writes keyatlas.evidence.schema.json (`npm run schema`) from the zod schema in lib/evidence.ts,
// so auditors can validate an evidence file; test/cli/evidence.test.ts fails when the file is stale.
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { evidenceSchema } from '../lib/evidence';

export const EVIDENCE_SCHEMA_FILE = new URL('../keyatlas.evidence.schema.json', import.meta.url);

export function evidenceJsonSchema(): Record<string, unknown> {
  const { $schema, ...rest } = z.toJSONSchema(evidenceSchema, { io: 'output' });
  return {
    $schema,
    title: 'KeyAtlas evidence',
    description:
      'What `keyatlas export --evidence FILE` and the extension\'s evidence download write: per instance its outcome, coverage, warnings and the ledger the outcome was decided from, and the SHA-256 and row count of the exported file (docs/completeness.md).',
    ...rest,
  };
}

export const evidenceJsonSchemaText = () => JSON.stringify(evidenceJsonSchema(), null, 2) + '\n';

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) writeFileSync(EVIDENCE_SCHEMA_FILE, evidenceJsonSchemaText());
