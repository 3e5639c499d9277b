import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runNode } from './node-child';
import { median } from './stats';

export interface CliStartupResult {
  tarball: string;
  /** `keyatlas --help` from the installed package, plain node (median). */
  helpMs: number;
  helpRuns: number[];
  /** `node -e 0` in the same turns (median). */
  nodeMs: number;
  nodeRuns: number[];
}

const npm = (args: string[], cwd: string) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/**
 * docs/benchmarks.md#budgets: the `npm pack` tarball (dist/cli built first) installed into an empty folder as a user would,
 * then `keyatlas --help` and `node -e 0` spawned in turns, each from spawn to exit.
 */
export async function benchCliStartup({ runs = 7 }: { runs?: number } = {}): Promise<CliStartupResult> {
  const dir = mkdtempSync(join(tmpdir(), 'keyatlas-startup-'));
  try {
    // Built here rather than by `prepare`, whose output would mix with the JSON on stdout.
    execFileSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: ROOT, stdio: 'ignore' });
    const packed = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', dir], ROOT)) as { filename: string }[];
    const tarball = join(dir, packed[0]!.filename);
    const app = join(dir, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), '{"private":true}');
    npm(['install', '--no-audit', '--no-fund', '--prefer-offline', '--omit=dev', tarball], app);
    const bin = join(app, 'node_modules/keyatlas/bin/keyatlas.mjs');
    const helpRuns: number[] = [];
    const nodeRuns: number[] = [];
    // One of each first, so the file cache is warm for both.
    for (let run = 0; run <= runs; run++) {
      const help = await runNode(bin, ['--help'], { typescript: false });
      if (help.code !== 0 || !/keyatlas/.test(help.stdout + help.stderr)) throw new Error(`keyatlas --help exited ${help.code}: ${help.stderr.trim()}`);
      const bare = await runNode('-e', ['0'], { typescript: false });
      if (run === 0) continue;
      helpRuns.push(help.wallMs);
      nodeRuns.push(bare.wallMs);
    }
    return { tarball: packed[0]!.filename, helpMs: median(helpRuns), helpRuns, nodeMs: median(nodeRuns), nodeRuns };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
