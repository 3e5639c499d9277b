import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPTIONS, USAGE } from '../../cli/args';
import { EXIT } from '../../cli/exit';
import type { CliIo } from '../../cli/io';
import { main } from '../../cli/keyatlas';
import { startMockFleet, type MockFleet } from '../mock-vendors/index';
import { cliCommand, ROOT, runCli, TSX_LOADER } from './run-cli';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; license: string };

let fleet: MockFleet;
let configPath: string;
beforeAll(async () => {
  fleet = await startMockFleet();
  configPath = join(mkdtempSync(join(tmpdir(), 'keyatlas-cli-hygiene-')), 'keyatlas.json');
  writeFileSync(configPath, JSON.stringify(fleet.config));
});
afterAll(() => fleet.close());

/** Runs the command with its stdout pipe already closed by the reader, as `keyatlas … | head` ends up. */
function runWithClosedStdout(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...cliCommand(), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

function memoryIo(write: (text: string) => void = () => {}): CliIo & { err: string[] } {
  const err: string[] = [];
  return { err, stdout: { write }, stderr: { write: (t: string) => err.push(t) }, env: {}, now: () => new Date() };
}

describe('CLI hygiene: version, short flags, quiet broken pipe, one-line crash', () => {
  it('--version and -V print the package version, exit 0', async () => {
    for (const flag of ['--version', '-V']) {
      const run = await runCli([flag]);
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(`${pkg.version}\n`);
      expect(run.stderr).toBe('');
    }
  });

  it('`npm run keyatlas` (the sources through tsx) answers as the built command does', async () => {
    const args = ['summary', '--config', configPath, '--json'];
    const [source, built] = await Promise.all([runCli(args, { source: true }), runCli(args)]);
    expect(source.code, source.stderr).toBe(0);
    expect(JSON.parse(source.stdout)).toHaveLength(fleet.config.instances.length);
    expect(source).toEqual(built);
  });

  it('--help names every option the parser accepts, short forms included', () => {
    for (const [name, option] of Object.entries(OPTIONS)) {
      expect(USAGE).toContain(`--${name}`);
      if ('short' in option) expect(USAGE).toContain(`-${option.short}, --${name}`);
    }
  });

  it('a reader that closes the pipe early (| head) ends the command quietly with its own exit code', async () => {
    const help = await runWithClosedStdout(['--help']);
    expect(help).toEqual({ code: 0, stderr: '' });
    const ndjson = await runWithClosedStdout(['export', '--config', configPath, '--out', '-', '--format', 'ndjson', '--quiet']);
    expect(ndjson).toEqual({ code: 0, stderr: '' });
  });

  it('an unexpected crash is one line, exit 70, and its text never carries a configured secret', async () => {
    const coreKey = fleet.config.instances[0]!.apiKey as string;
    // A bug in output code that quotes what it was writing: here the CSV with --keys full.
    const io = memoryIo((text) => {
      throw new TypeError(`cannot write ${JSON.stringify(text.slice(0, 4000))}`);
    });
    const code = await main(['export', '--config', configPath, '--out', '-', '--keys', 'full', '--vendor', 'metadefender-core', '--quiet'], io);
    expect(code).toBe(EXIT.crash);
    expect(code).toBeGreaterThan(3);
    const stderr = io.err.join('');
    expect(stderr).toMatch(/^keyatlas: unexpected error \(a bug; please report it\): TypeError: cannot write .*\[redacted\]/);
    expect(stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(stderr).not.toContain(coreKey);
  });

  it('an error that escapes main (an async callback) is one line and exit 70 too', async () => {
    const script = `import { installProcessGuards } from ${JSON.stringify(`${ROOT}/cli/exit.ts`)};
installProcessGuards();
setTimeout(() => { throw new RangeError('late failure\\n    at somewhere (file.ts:1:1)'); });`;
    const run = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', TSX_LOADER, '--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(run).toEqual({ code: EXIT.crash, stderr: 'keyatlas: unexpected error (a bug; please report it): RangeError: late failure\n' });
  });

  it('LICENSE matches package.json (MIT, KeyAtlas contributors, 2026)', () => {
    expect(pkg.license).toBe('MIT');
    const license = readFileSync(join(ROOT, 'LICENSE'), 'utf8');
    expect(license).toMatch(/^MIT License\n\nCopyright \(c\) 2026 KeyAtlas contributors\n/);
    expect(license).toContain('THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND');
  });
});
