import { mkdtempSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VENDOR_IDS } from '../../lib/vendors';
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

  it('no arguments at all: the whole usage on stderr, exit 2', async () => {
    const run = await runCli([]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^Usage:\n {2}keyatlas export/);
    expect(run.stdout).toBe('');
  });

  // One line: the problem, the nearest real spelling, where to read more; never the whole help or Node's parseArgs text.
  it.each([
    [['export', '--confg', 'k.json'], 'unknown option --confg; did you mean --config?'],
    [['export', '-c', 'k.json', '--key', 'full'], 'unknown option --key; did you mean --keys?'],
    [['export', '-c', 'k.json', '--key=full'], 'unknown option --key; did you mean --keys?'],
    [['summary', '-c', 'k.json', '--qiuet'], 'unknown option --qiuet; did you mean --quiet?'],
    [['export', '-c', 'k.json', '--expires-within', '7'], 'unknown option --expires-within; did you mean --expiring-within?'],
    [['export', '-c', 'k.json', '--expiring', '7'], 'unknown option --expiring; did you mean --expiring-within?'],
    [['export', '-C', 'k.json'], 'unknown option -C; did you mean -c?'],
    [['export', '-qz', '-c', 'k.json'], 'unknown option -z (in "-qz")'],
    [['export', '--bogus'], 'unknown option --bogus'],
    [['sumary', '-c', 'k.json'], 'unknown command "sumary"; did you mean summary?'],
    [['frobnicate'], 'unknown command "frobnicate"'],
    [['--quiet'], 'no command given: export, summary or diff'],
    [['summary', '-c', 'k.json', 'now'], 'unexpected argument "now"'],
    [['export'], '--config FILE is required'],
    [['export', '--config'], '--config needs a value'],
    [['export', '--config', '-q'], '--config needs a value, but -q follows it (write --config=-q if that is the value)'],
    [['export', '-c', 'k.json', '--quiet=yes'], '--quiet takes no value'],
    [['export', '--config', 'x.json', '--keys', 'plain'], '--keys must be masked, full or omit, not "plain"'],
    [['export', '-c', 'k.json', '--format', 'jsno'], '--format must be csv, json or ndjson, not "jsno"; did you mean json?'],
    [['export', '-c', 'k.json', '--vendor', 'metadefender-vualt'], `--vendor must be ${VENDOR_IDS.slice(0, -1).join(', ')} or ${VENDOR_IDS.at(-1)}, not "metadefender-vualt"; did you mean metadefender-vault?`],
    [['export', '-c', 'k.json', '--timeout', '0'], '--timeout must be a whole number ≥ 1, not "0"'],
    [['summary', '--config', 'x', '--out', 'y'], '--out belongs to export, not summary'],
    [['export', '--config', 'x', '--json'], '--json belongs to summary (export has --format json)'],
    [['diff', 'old.csv', 'new.csv', '--formt', 'json'], 'unknown option --formt; did you mean --format?'],
    [['diff', 'old.csv', 'new.csv', '--format', 'tabel'], '--format must be table, csv or json, not "tabel"; did you mean table?'],
    [['diff', 'old.csv'], 'diff needs two files: OLD.csv NEW.csv'],
  ])('%j is one line on stderr, exit 2', async (args, problem) => {
    const run = await runCli(args);
    expect(run.stderr).toBe(`keyatlas: ${problem} (see keyatlas --help)\n`);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
  });

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
    expect(run.stderr).toContain(`configuration error in ${config}: 3 problems:\n`);
    expect(run.stderr).toContain('  instance "core" (instances[1].name): is already used by instances[0]\n');
    expect(run.stderr).toContain('  instance "core" (instances[1].apiKey): is required for metadefender-vault\n');
    expect(run.stderr).toContain('  instance "x" (instances[2].url): must not contain a user name or password');
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
    expect(run.stderr).toBe(
      `keyatlas: configuration error in ${config}: 1 problem:\n  instance "v" (instances[0].apiKey): environment variable KEYATLAS_TEST_UNSET_VAR is not set or empty\nNothing was sent.\n`,
    );
    run = await runCli(['summary', '--config', config], { env: { KEYATLAS_TEST_UNSET_VAR: 'from-env-value' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/ {2}instance "c" \(instances\[1\]\.caFile\): cannot read .*missing-ca\.pem: ENOENT\n/);
    expect(server.requests).toHaveLength(0);
  });

  it('an unknown --instance or --vendor is exit 2', async () => {
    const config = join(dir, 'ok.json');
    writeFileSync(config, JSON.stringify({ instances: [{ name: 'v', vendor: 'metadefender-vault', url: server.url, apiKey: 'abcdefghijkl' }] }));
    expect((await runCli(['export', '--config', config, '--instance', 'nope'])).stderr).toContain('  --instance: no instance named "nope" in the config\n');
    expect((await runCli(['export', '--config', config, '--instance', 'V'])).stderr).toContain('  --instance: no instance named "V" in the config; did you mean "v"?\n');
    expect((await runCli(['export', '--config', config, '--vendor', 'metadefender-klingon'])).code).toBe(2);
    expect(server.requests).toHaveLength(0);
  });

  it('a JSON syntax error in the config names line and column and never echoes the file', async () => {
    const config = join(dir, 'broken.json');
    writeFileSync(config, '{\n  "instances": [\n    { "name": "v", "apiKey": SECRET-IN-BROKEN-FILE }\n  ]\n}\n');
    const run = await runCli(['summary', '--config', config]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`keyatlas: configuration error in ${config}: 1 problem:\n  (top level): is not valid JSON at line 3, column 30: Unexpected character\nNothing was sent.\n`);
    expect(server.requests).toHaveLength(0);
  });
});
