// Writes keyatlas.schema.json (`npm run schema`) from the one zod schema in lib/config.ts, so
// editors validate config files; test/cli/config-schema.test.ts fails when the file is stale.
import { configSchema } from '../lib/config';
import { schemaText, titledJsonSchema, writeWhenRun } from './json-schema';

export const SCHEMA_FILE = new URL('../keyatlas.schema.json', import.meta.url);

// 'input': what a person writes in the file (apiKeyId as text or number, before the transforms).
export const configJsonSchema = () =>
  titledJsonSchema(
    configSchema,
    'input',
    'KeyAtlas configuration',
    "Instances for the keyatlas CLI and the extension's import (docs/contract.md#configuration). Which credentials each vendor needs is checked by keyatlas itself, with a message per field.",
  );

export const configJsonSchemaText = () => schemaText(configJsonSchema());

writeWhenRun(import.meta.url, SCHEMA_FILE, configJsonSchemaText);
