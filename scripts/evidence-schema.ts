// Writes keyatlas.evidence.schema.json (`npm run schema`) from the zod schema in lib/evidence.ts,
// so auditors can validate an evidence file; test/cli/evidence.test.ts fails when the file is stale.
import { evidenceSchema } from '../lib/evidence';
import { schemaText, titledJsonSchema, writeWhenRun } from './json-schema';

export const EVIDENCE_SCHEMA_FILE = new URL('../keyatlas.evidence.schema.json', import.meta.url);

export const evidenceJsonSchema = () =>
  titledJsonSchema(
    evidenceSchema,
    'output',
    'KeyAtlas evidence',
    "What `keyatlas export --evidence FILE` and the extension's evidence download write: per instance its outcome, coverage, warnings and the ledger the outcome was decided from, and the SHA-256 and row count of the exported file (docs/completeness.md).",
  );

export const evidenceJsonSchemaText = () => schemaText(evidenceJsonSchema());

writeWhenRun(import.meta.url, EVIDENCE_SCHEMA_FILE, evidenceJsonSchemaText);
