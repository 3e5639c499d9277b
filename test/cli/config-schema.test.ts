import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema, parseConfig } from '../../lib/config';
import { configJsonSchemaText, configJsonSchema, SCHEMA_FILE } from '../../scripts/config-schema';
import { validate } from './json-schema-check';
import { ROOT, runCli } from './run-cli';

const schema = configJsonSchema();
const core = { name: 'core-prod', vendor: 'metadefender-core', url: 'https://core.example:8008', apiKey: 'core-key' };
const withInstance = (extra: Record<string, unknown>) => ({ instances: [{ ...core, ...extra }] });

const BOTH_ACCEPT: [string, unknown][] = [
  [
    'the configuration example (docs/contract.md#configuration) with "$schema"',
    {
      $schema: './keyatlas.schema.json',
      instances: [
        core,
        { name: 'vault', vendor: 'metadefender-vault', url: 'https://vault.example:8010', apiKey: '...', username: 'alice' },
        { name: 'mdss', vendor: 'metadefender-storage', url: 'https://mdss.example', username: 'admin', password: '...' },
        { name: 'xsoar', vendor: 'cortex-xsoar', url: 'https://api-tenant.example', apiKey: '...', apiKeyId: '2841', securityLevel: 'advanced' },
        { name: 'cloud', vendor: 'metadefender-cloud', apiKey: '...' },
      ],
    },
  ],
  ['secrets from the environment, a numeric key id, a CA file', { instances: [{ name: 'x', vendor: 'cortex-xsoar', url: 'https://api-t.example', apiKey: { env: 'XSOAR_KEY' }, apiKeyId: 7, caFile: 'ca.pem' }] }],
  ['no instances', { instances: [] }],
  ['a 64-character name', withInstance({ name: 'n'.repeat(64) })],
];

const BOTH_REJECT: [string, unknown][] = [
  ['no instances field', {}],
  ['instances not an array', { instances: {} }],
  ['an unknown top-level field', { instances: [], verbose: true }],
  ['"$schema" that is not text', { $schema: 1, instances: [] }],
  ['an unknown instance field (no TLS switch)', withInstance({ insecure: true })],
  ['an unknown vendor', withInstance({ vendor: 'metadefender-klingon' })],
  ['no name', { instances: [{ vendor: 'metadefender-cloud', apiKey: 'k' }] }],
  ['a 65-character name', withInstance({ name: 'n'.repeat(65) })],
  ['an empty key', withInstance({ apiKey: '' })],
  ['an env reference that is no variable name', withInstance({ apiKey: { env: '1-BAD' } })],
  ['an env reference with an extra field', withInstance({ apiKey: { env: 'OK', value: 'x' } })],
  ['a text key id that is not numeric', withInstance({ apiKeyId: 'abc' })],
  ['a negative key id', withInstance({ apiKeyId: -1 })],
  ['a fractional key id', withInstance({ apiKeyId: 1.5 })],
  ['an unknown security level', withInstance({ securityLevel: 'medium' })],
  ['an empty caFile', withInstance({ caFile: '' })],
];

// Cross-field and content rules that JSON Schema cannot say as clearly: keyatlas checks them
// before any request, with a message per field; the editor schema lets them through.
const KEYATLAS_ONLY: [string, unknown][] = [
  ['core without a url', { instances: [{ name: 'c', vendor: 'metadefender-core', apiKey: 'k' }] }],
  ['xsoar without its key id', { instances: [{ name: 'x', vendor: 'cortex-xsoar', url: 'https://api-t.example', apiKey: 'k' }] }],
  ['a url with a password in it', withInstance({ url: 'https://u:p@core.example' })],
  ['a name of spaces only', withInstance({ name: '   ' })],
  ['two instances with one name', { instances: [core, core] }],
];

const zodAccepts = (value: unknown) => {
  try {
    parseConfig(value);
    return true;
  } catch {
    return false;
  }
};

describe('keyatlas.schema.json', () => {
  it('is the committed output of `npm run schema` (regenerate it after changing lib/config.ts)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(configJsonSchemaText());
  });

  it.each(BOTH_ACCEPT)('zod and the JSON schema both accept %s', (_, value) => {
    expect(validate(schema, value)).toEqual([]);
    expect(configSchema.safeParse(value).success).toBe(true);
  });

  it.each(BOTH_REJECT)('zod and the JSON schema both reject %s', (_, value) => {
    expect(validate(schema, value)).not.toEqual([]);
    expect(zodAccepts(value)).toBe(false);
  });

  it.each(KEYATLAS_ONLY)('keyatlas (not the editor schema) rejects %s', (_, value) => {
    expect(validate(schema, value)).toEqual([]);
    expect(zodAccepts(value)).toBe(false);
  });

  it('a config that points at the schema runs in the CLI', async () => {
    const config = join(mkdtempSync(join(tmpdir(), 'keyatlas-schema-')), 'keyatlas.json');
    writeFileSync(config, JSON.stringify({ $schema: `${ROOT}/keyatlas.schema.json`, instances: [] }));
    const run = await runCli(['summary', '--config', config, '--json']);
    expect(run).toMatchObject({ code: 0, stdout: '[]\n', stderr: '' });
  });
});
