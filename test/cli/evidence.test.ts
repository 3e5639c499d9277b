/** `keyatlas export --evidence FILE`: real output of the CLI against the mock fleet, checked against the committed schema. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evidenceSchema, type Evidence } from '../../lib/evidence';
import { EVIDENCE_SCHEMA_FILE, evidenceJsonSchema, evidenceJsonSchemaText } from '../../scripts/evidence-schema';
import { expectNoSecrets, MOCK_SECRETS, servedKeyValues, tempDir, writeJson } from '../hardening/helpers';
import { startMockFleet, type MockFleet } from '../mock-vendors/index';
import { validate } from './json-schema-check';
import { runCli } from './run-cli';

let fleet: MockFleet;
let dir: string;
beforeAll(async () => {
  fleet = await startMockFleet();
  dir = tempDir('keyatlas-evidence-');
});
afterAll(() => fleet.close());

describe('keyatlas.evidence.schema.json', () => {
  it('is the schema generated from lib/evidence.ts (run `npm run schema` after changing it)', () => {
    expect(readFileSync(EVIDENCE_SCHEMA_FILE, 'utf8')).toBe(evidenceJsonSchemaText());
  });
});

describe('export --evidence', () => {
  it('writes a manifest that the committed schema and zod accept, with the hash and rows of the file written, and no secret', async () => {
    // One instance fails: its outcome and the keys it read are in the evidence too.
    fleet.servers['metadefender-vault'].fault({ kind: 'status', status: 200, json: { filter_count: 99, items: [] } });
    const config = writeJson(dir, 'config.json', fleet.config);
    const out = join(dir, 'keys.csv');
    const evidenceFile = join(dir, 'evidence.json');
    const run = await runCli(['export', '--config', config, '--out', out, '--evidence', evidenceFile, '--keys', 'full', '--quiet']);
    fleet.servers['metadefender-vault'].clearFaults();
    expect(run.code).toBe(1);
    const text = readFileSync(evidenceFile, 'utf8');
    const evidence = JSON.parse(text) as Evidence;
    expect(validate(evidenceJsonSchema(), evidence)).toEqual([]);
    expect(evidenceSchema.safeParse(evidence).success).toBe(true);

    const csv = readFileSync(out);
    expect(evidence.file).toEqual({ name: 'keys.csv', format: 'csv', sha256: createHash('sha256').update(csv).digest('hex'), rows: csv.toString('utf8').trimEnd().split('\r\n').length - 1 });
    expect(evidence.tool.name).toBe('keyatlas');
    const byName = new Map(evidence.instances.map((i) => [i.name, i]));
    expect(byName.get('vault')).toMatchObject({ outcome: 'incomplete', errorKind: 'incomplete', coverage: 'own + system-level tokens', keys: 0 });
    expect(byName.get('vault')!.ledger.claims).toContainEqual(expect.objectContaining({ source: 'filter_count', value: 99, credible: true }));
    expect(byName.get('core-prod')).toMatchObject({ outcome: 'ok', coverage: 'all users', origin: new URL(fleet.servers['metadefender-core'].url).origin });
    expect(byName.get('xsoar')).toMatchObject({ outcome: 'ok', coverage: 'tenant' });
    expect(byName.get('xsoar')!.ledger.lists[0]).toMatchObject({ end: 'empty-page', moving: false });
    expect(byName.get('mdss')!.coverage).toBe('own key');
    expect(byName.get('cloud')!.coverage).toBe('this key');
    // Even with --keys full in the CSV, the evidence holds no key and no credential.
    expectNoSecrets(text, [...MOCK_SECRETS, ...servedKeyValues()], 'the evidence file');
  });

  it('belongs to export only', async () => {
    const run = await runCli(['summary', '--config', 'x.json', '--evidence', 'e.json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--evidence belongs to export');
  });
});

describe('summary --json', () => {
  it('states each instance\'s coverage beside its outcome', async () => {
    const config = writeJson(dir, 'config.json', fleet.config);
    const run = await runCli(['summary', '--config', config, '--json']);
    const rows = JSON.parse(run.stdout) as { instance: string; coverage: string }[];
    expect(Object.fromEntries(rows.map((r) => [r.instance, r.coverage]))).toEqual({
      'core-prod': 'all users',
      mdss: 'own key',
      xsoar: 'tenant',
      vault: 'own + system-level tokens',
      cloud: 'this key',
    });
    const table = await runCli(['summary', '--config', config]);
    expect(table.stdout).toMatch(/^vault\s+metadefender-vault\s+.*own \+ system-level tokens\s+ok$/m);
  });
});
