// The committed JSON schemas (keyatlas.schema.json, keyatlas.evidence.schema.json) are generated
// from their zod schemas the same way; each script names its schema, title and description.
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';

export function titledJsonSchema(schema: z.ZodType, io: 'input' | 'output', title: string, description: string): Record<string, unknown> {
  const { $schema, ...rest } = z.toJSONSchema(schema, { io });
  return { $schema, title, description, ...rest };
}

export const schemaText = (schema: Record<string, unknown>) => JSON.stringify(schema, null, 2) + '\n';

/** Writes the file when the calling script is run directly (`npm run schema`), not when a test imports it. */
export function writeWhenRun(scriptUrl: string, file: URL, text: () => string): void {
  if (process.argv[1] && scriptUrl === pathToFileURL(process.argv[1]).href) writeFileSync(file, text());
}
