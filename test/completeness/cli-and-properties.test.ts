/** Complete-or-loud (docs/contract.md#completeness-states) through the real command line, and the completeness properties of the engine. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInventory } from '../../lib/inventory';
import { startXsoarMock, XSOAR_API_KEY, XSOAR_API_KEY_ID, type XsoarApiKey } from '../mock-vendors/cortex-xsoar';
import { CORE_ADMIN_KEY, startCoreMock } from '../mock-vendors/metadefender-core';
import { startMock, type MockServer } from '../mock-vendors/server';
import { runCli } from '../cli/run-cli';
import { tempDir, writeJson } from '../hardening/helpers';

const keys = (n: number): XsoarApiKey[] =>
  Array.from({ length: n }, (_, i) => ({ id: i + 1, creation_time: 1, created_by: 'a', user_name: `u${i + 1}`, roles: [], security_level: 'standard', comment: null, expiration: null }));

describe('keyatlas with a warning and an incomplete instance', () => {
  const servers: MockServer[] = [];
  let config: string;
  let dir: string;
  beforeAll(async () => {
    dir = tempDir();
    servers.push(await startCoreMock({ variant: 'directory-fails' }), await startXsoarMock({ apiKeys: keys(10), announcedCount: 23 }));
    config = writeJson(dir, 'config.json', {
      instances: [
        { name: 'core', vendor: 'metadefender-core', url: servers[0]!.url, apiKey: CORE_ADMIN_KEY },
        { name: 'xsoar', vendor: 'cortex-xsoar', url: servers[1]!.url, apiKey: XSOAR_API_KEY, apiKeyId: XSOAR_API_KEY_ID },
      ],
    });
  });
  afterAll(() => Promise.all(servers.map((s) => s.close())));

  it('export: exit 1 for the incomplete list, a warning line, every row read in the CSV', async () => {
    const out = join(dir, 'keys.csv');
    const run = await runCli(['export', '--config', config, '--out', out]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^core\s+metadefender-core\s+6\s+.*ok \(1 warning\)$/m);
    expect(run.stderr).toMatch(/^xsoar\s+cortex-xsoar\s+10\s+.*INCOMPLETE$/m);
    expect(run.stderr).toContain('error: xsoar (cortex-xsoar): the server announced 23 keys but delivered 10');
    expect(run.stderr).toMatch(/^warning: core \(metadefender-core\): directory names are unavailable /m);
    const rows = Papa.parse<Record<string, string>>(readFileSync(out, 'utf8').replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true }).data;
    expect(rows.filter((r) => r.instance === 'core').map((r) => r.owner)).toContain('7\\orphan');
    expect(rows.filter((r) => r.instance === 'xsoar')).toHaveLength(10);
  });

  it('a warning alone never changes the exit code', async () => {
    const run = await runCli(['export', '--config', config, '--instance', 'core', '--out', '-', '--quiet']);
    expect(run.code).toBe(0);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^warning: core \(metadefender-core\): directory names are unavailable/)]);
  });

  it('summary --json: warnings and the error kind per instance', async () => {
    const run = await runCli(['summary', '--config', config, '--json']);
    expect(run.code).toBe(1);
    const rows = JSON.parse(run.stdout) as { instance: string; warnings: string[]; errorKind: string | null; total: number }[];
    expect(rows).toMatchObject([
      { instance: 'core', total: 6, errorKind: null, warnings: [expect.stringMatching(/^core \(metadefender-core\): directory names are unavailable/)] },
      { instance: 'xsoar', total: 10, errorKind: 'incomplete', warnings: [] },
    ]);
  });
});

describe('completeness properties (docs/contract.md#completeness-states)', () => {
  let server: MockServer;
  /** What the next XSOAR replies hold: the keys delivered (paged by search_from/search_to) and the count announced for them. */
  let reply: { keys: XsoarApiKey[]; announced: number };
  beforeAll(async () => {
    server = await startMock('xsoar-property', (req) => {
      const { search_from = 0, search_to = 100 } = (JSON.parse(req.body) as { request_data: { search_from?: number; search_to?: number } }).request_data;
      return { json: { reply: { DATA: reply.keys.slice(search_from, search_to), FILTER_COUNT: reply.announced, TOTAL_COUNT: reply.announced } } };
    });
  });
  afterAll(() => server.close());

  it('never fewer rows than distinct keys delivered, and never ok when the announced count is short', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 80 }), async (delivered, announced) => {
        reply = { keys: keys(delivered), announced };
        const { records, results } = await runInventory([{ name: 'x', vendor: 'cortex-xsoar', url: server.url, apiKey: XSOAR_API_KEY, apiKeyId: XSOAR_API_KEY_ID }]);
        expect(records).toHaveLength(delivered);
        expect(results[0]!.count).toBe(delivered);
        expect(results[0]!.ok).toBe(announced <= delivered);
        if (announced > delivered) expect(results[0]!.error?.kind).toBe('incomplete');
      }),
      { numRuns: 40 },
    );
  });
});
