import { mkdtempSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type MockServer } from '../mock-vendors/server';
import { runCli } from './run-cli';

let server: MockServer;
let dir: string;
beforeAll(async () => {
  server = await startMock('counting', () => ({ json: [] }));
  dir = mkdtempSync(join(tmpdir(), 'keyatlas-cli-'));
});
afterAll(() => server.close());

describe('keyatlas usage', () => {
  it('--help prints usage on stdout and exits 0', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage:\n {2}keyatlas export/);
    expect(run.stderr).toBe('');
  });

  it.each([[[]], [['frobnicate']], [['export', '--bogus']], [['export']], [['export', '--config', 'x.json', '--keys', 'plain']], [['summary', '--config', 'x', '--out', 'y']]])(
    '%j is a usage error: usage on stderr, exit 2',
    async (args) => {
      const run = await runCli(args);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('Usage:');
      expect(run.stdout).toBe('');
    },
  );

  it('a bad config is exit 2, lists every problem, writes nothing and sends nothing', async () => {
    const config = join(dir, 'bad.json');
    writeFileSync(
      config,
      JSON.stringify({
        instances: [
          { name: 'core', vendor: 'metadefender-core', url: server.url, apiKey: 'SECRET-CORE-KEY-123456' },
          { name: 'core', vendor: 'metadefender-vault', url: server.url },
          { name: 'x', vendor: 'cortex-xsoar', url: 'https://user:SECRET-PW-999@api-x.example', apiKey: { env: 'KEYATLAS_TEST_UNSET_VAR' }, apiKeyId: '7' },
        ],
      }),
    );
    const run = await runCli(['export', '--config', config, '--out', join(dir, 'out.csv')], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`configuration error in ${config}`);
    expect(run.stderr).toContain('instances[1].name: "core" is already used by instances[0]');
    expect(run.stderr).toContain('instances[1].apiKey: is required for metadefender-vault');
    expect(run.stderr).toContain('instances[2].url: must not contain a user name or password');
    expect(run.stderr).not.toMatch(/SECRET-/);
    expect(server.requests).toHaveLength(0);
    expect(readdirSync(dir).filter((f) => f.endsWith('.csv'))).toEqual([]);
  });

  it('a missing env secret and an unreadable caFile are config errors before any request', async () => {
    const config = join(dir, 'env.json');
    writeFileSync(
      config,
      JSON.stringify({
        instances: [
          { name: 'v', vendor: 'metadefender-vault', url: server.url, apiKey: { env: 'KEYATLAS_TEST_UNSET_VAR' } },
          { name: 'c', vendor: 'metadefender-core', url: server.url, apiKey: 'abcdefghijkl', caFile: 'missing-ca.pem' },
        ],
      }),
    );
    let run = await runCli(['summary', '--config', config]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('instances[0].apiKey: environment variable KEYATLAS_TEST_UNSET_VAR is not set or empty');
    run = await runCli(['summary', '--config', config], { env: { KEYATLAS_TEST_UNSET_VAR: 'from-env-value' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/instances\[1\]\.caFile: cannot read .*missing-ca\.pem: ENOENT/);
    expect(server.requests).toHaveLength(0);
  });

  it('an unknown --instance or --vendor is exit 2', async () => {
    const config = join(dir, 'ok.json');
    writeFileSync(config, JSON.stringify({ instances: [{ name: 'v', vendor: 'metadefender-vault', url: server.url, apiKey: 'abcdefghijkl' }] }));
    expect((await runCli(['export', '--config', config, '--instance', 'nope'])).stderr).toContain('no instance named "nope"');
    expect((await runCli(['export', '--config', config, '--vendor', 'metadefender-klingon'])).code).toBe(2);
    expect(server.requests).toHaveLength(0);
  });
});
