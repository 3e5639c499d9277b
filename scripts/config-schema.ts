// Writes keyatlas.schema.json (`npm run schema`) from the one zod schema in lib/config.ts, so
// editors validate config files; test/cli/config-schema.test.ts fails when the file is stale.
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { configSchema } from '../lib/config';

export const SCHEMA_FILE = new URL('../keyatlas.schema.json', import.meta.url);

export function configJsonSchema(): Record<string, unknown> {
  // 'input': what a person writes in the file (apiKeyId as text or number, before the transforms).
  const { $schema, ...rest } = z.toJSONSchema(configSchema, { io: 'input' });
  return {
    $schema,
    title: 'KeyAtlas configuration',
    description:
      'Instances for the keyatlas CLI and the extension\'s import (docs/contract.md#configuration). Which credentials each vendor needs is checked by keyatlas itself, with a message per field.',
    ...rest,
  };
}

export const configJsonSchemaText = () => JSON.stringify(configJsonSchema(), null, 2) + '\n';

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) writeFileSync(SCHEMA_FILE, configJsonSchemaText());
