import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { peakHeapFromTrace, ROOT, runNode, USAGE_REPORTER } from './node-child';

export interface CliMeasure {
  code: number | null;
  /** Spawn to exit: Node start-up, TypeScript loading, the export and the file write. */
  wallMs: number;
  maxRssMiB: number;
  /** From --trace-gc; 0 when the run was too small to collect garbage. */
  peakHeapMiB: number;
  csv: string;
  stderr: string;
}

/** `keyatlas export --config <config> --out <file> --quiet` as a user runs it (`npm run keyatlas` = tsx cli/keyatlas.ts). */
export async function runCliExport(config: unknown): Promise<CliMeasure> {
  const dir = mkdtempSync(join(tmpdir(), 'keyatlas-bench-'));
  try {
    const configFile = join(dir, 'config.json');
    const out = join(dir, 'keys.csv');
    const usageFile = join(dir, 'usage.json');
    writeFileSync(configFile, JSON.stringify(config), { mode: 0o600 });
    // With --out FILE the CLI writes nothing to stdout, which leaves stdout to the GC trace.
    const run = await runNode(`${ROOT}cli/keyatlas.ts`, ['export', '--config', configFile, '--out', out, '--quiet'], {
      nodeFlags: ['--trace-gc', '--import', USAGE_REPORTER],
      env: { KEYATLAS_BENCH_USAGE: usageFile },
    });
    const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as { maxRssKiB: number };
    return {
      code: run.code,
      wallMs: run.wallMs,
      maxRssMiB: usage.maxRssKiB / 1024,
      peakHeapMiB: peakHeapFromTrace(run.stdout),
      csv: run.code === 0 || run.code === 1 ? readFileSync(out, 'utf8') : '',
      stderr: run.stderr,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
