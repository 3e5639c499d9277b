import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT, TSX_LOADER } from '../test/cli/run-cli';

const DEMO_INSTANCES = ['core-prod', 'mdss', 'xsoar', 'vault', 'cloud'];

describe('npm run demo -- --serve', () => {
  it('keeps the mock consoles running until Ctrl+C, and the export command it prints works as pasted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keyatlas-demo-serve-'));
    const demo = spawn(process.execPath, ['--import', TSX_LOADER, 'scripts/demo.ts', '--serve', '--dir', dir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    demo.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((done) => demo.on('close', done));
    try {
      const command = await new Promise<string>((found, failed) => {
        demo.stdout.on('data', (d) => {
          stdout += d;
          // The whole guide is printed at once; its last line says the mocks are waiting.
          const line = /^\s*\$ (npm run --silent keyatlas -- export .+)$/m.exec(stdout);
          if (line && stdout.includes('the popup lists the five instances')) found(line[1]!);
        });
        void exited.then((code) => failed(new Error(`the demo ended (exit ${code}) before printing its command:\n${stdout}\n${stderr}`)));
      });

      // As a user pastes it: through a shell, from the repository folder, while the demo waits.
      const cli = await promisify(execFile)('/bin/sh', ['-c', command], { cwd: ROOT });
      // Exit 0 (execFile rejects otherwise) and a report of what was written (on stderr, as stdout may be the CSV).
      expect(cli.stderr).toMatch(/Wrote \d+ keys to /);
      const csvPath = /--out (\S+)/.exec(command)![1]!;
      const instances = new Set(readFileSync(csvPath, 'utf8').split('\r\n').slice(1).filter(Boolean).map((row) => row.split(',')[0]));
      expect([...instances].sort()).toEqual([...DEMO_INSTANCES].sort());

      demo.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(stdout).toContain('Stopping the mock consoles.');
    } finally {
      demo.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
