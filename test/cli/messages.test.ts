import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMockFleet, type MockFleet } from '../mock-vendors/index';
import { startMock } from '../mock-vendors/server';
import { runCli } from './run-cli';

let fleet: MockFleet;
let dir: string;
let configPath: string;

beforeAll(async () => {
  fleet = await startMockFleet();
  dir = mkdtempSync(join(tmpdir(), 'keyatlas-cli-messages-'));
  configPath = join(dir, 'keyatlas.json');
  writeFileSync(configPath, JSON.stringify(fleet.config));
});
afterAll(() => fleet.close());
beforeEach(() => {
  for (const server of Object.values(fleet.servers)) server.clearFaults();
});

const occurrences = (text: string, part: string) => text.split(part).length - 1;

describe('what the CLI says', () => {
  it('summary names a failure once, on stderr; the table only marks it', async () => {
    fleet.servers['metadefender-vault'].fault({ kind: 'status', status: 500, json: { err: 'database is down' } });
    const run = await runCli(['summary', '--config', configPath]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^vault\s+metadefender-vault\s+0\s+0\s+0\s+0\s+0\s+0\s+own \+ system-level tokens\s+FAILED$/m);
    const failure = 'vault (metadefender-vault): GET /vault_rest/tokens/0/100 failed with HTTP 500: "database is down"';
    // A terminal shows stdout and stderr together: the failure must read once there.
    expect(occurrences(run.stdout + run.stderr, failure)).toBe(1);
    expect(run.stderr).toBe(`error: ${failure}\n`);
  });

  it('export names a failure once too, after the table and the file it wrote', async () => {
    fleet.servers['metadefender-cloud'].fault({ kind: 'html-login' });
    const out = join(dir, 'failed-cloud.csv');
    const run = await runCli(['export', '--config', configPath, '--instance', 'cloud', '--instance', 'vault', '--out', out]);
    expect(run.code).toBe(1);
    expect(occurrences(run.stderr, 'cloud (metadefender-cloud): ')).toBe(1);
    expect(run.stderr).toMatch(/\nWrote 8 keys to .*failed-cloud\.csv\nerror: cloud \(metadefender-cloud\): .*HTML page instead of JSON.*\n$/);
  });

  it('counts in the singular when there is one', async () => {
    const out = join(dir, 'one.csv');
    const run = await runCli(['export', '--config', configPath, '--instance', 'cloud', '--out', out]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`\nWrote 1 key to ${out}\n`);
  });

  it('a refused connection gets the command line\'s advice, not the browser\'s', async () => {
    const gone = await startMock('gone', () => undefined);
    await gone.close();
    const config = join(dir, 'gone.json');
    writeFileSync(config, JSON.stringify({ instances: [{ name: 'vault-eu', vendor: 'metadefender-vault', url: gone.url, apiKey: 'abcdefghijkl' }] }));
    const run = await runCli(['summary', '--config', config, '--json']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: vault-eu \(metadefender-vault\): GET \/vault_rest\/tokens\/0\/100 could not reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\): check the URL, the network and that the server is up\n$/);
  });
});

describe('default export names (a new file each run, so `keyatlas diff` has both)', () => {
  const morning = '2031-03-04T08:15:00.000Z';
  const afternoon = '2031-03-04T16:40:09.000Z';
  const exportAt = (now: string, cwd: string, ...args: string[]) => runCli(['export', '--config', configPath, '--instance', 'vault', ...args], { cwd, now });

  it('two exports of one day both survive, and diff reads them', async () => {
    const cwd = mkdtempSync(join(dir, 'same-day-'));
    expect((await exportAt(morning, cwd)).code).toBe(0);
    const second = await exportAt(afternoon, cwd);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain('\nWrote 8 keys to keyatlas-2031-03-04T164009Z.csv\n');
    // Lexical order is time order: `ls keyatlas-*.csv | tail -2` gives the last two.
    expect(readdirSync(cwd).sort()).toEqual(['keyatlas-2031-03-04T081500Z.csv', 'keyatlas-2031-03-04T164009Z.csv']);
    const diff = await runCli(['diff', 'keyatlas-2031-03-04T081500Z.csv', 'keyatlas-2031-03-04T164009Z.csv'], { cwd });
    expect(diff.code).toBe(0);
    expect(diff.stdout).toBe('0 added, 0 removed, 0 expiry changed\n');
  });

  it('json and ndjson are named the same way', async () => {
    const cwd = mkdtempSync(join(dir, 'formats-'));
    expect((await exportAt(morning, cwd, '--format', 'json')).code).toBe(0);
    expect((await exportAt(morning, cwd, '--format', 'ndjson')).code).toBe(0);
    expect(readdirSync(cwd).sort()).toEqual(['keyatlas-2031-03-04T081500Z.json', 'keyatlas-2031-03-04T081500Z.ndjson']);
  });

  it('a default name that exists already (same second) is never overwritten: exit 1, nothing saved', async () => {
    const cwd = mkdtempSync(join(dir, 'taken-'));
    const taken = join(cwd, 'keyatlas-2031-03-04T081500Z.csv');
    writeFileSync(taken, 'the earlier export\n');
    const run = await exportAt(morning, cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'keyatlas: keyatlas-2031-03-04T081500Z.csv already exists (another export started in the same second?): nothing was saved or overwritten; choose a name with --out\n',
    );
    expect(readFileSync(taken, 'utf8')).toBe('the earlier export\n');
    expect(readdirSync(cwd)).toEqual(['keyatlas-2031-03-04T081500Z.csv']);
  });

  it('an explicit --out is the user\'s choice: an existing file is replaced', async () => {
    const out = join(dir, 'latest.csv');
    writeFileSync(out, 'last week\n');
    const run = await exportAt(morning, dir, '--out', out, '--quiet');
    expect(run.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^\uFEFFinstance,/);
  });
});
