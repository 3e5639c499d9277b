// `npm run bench`: every benchmark (docs/benchmarks.md), a table on stdout, bench/results.md and results.json.
// `npm run bench -- extension-scale csv`: only those, on stdout; the files keep the last full run.
import { fileURLToPath } from 'node:url';
import { formatConsole, writeReport } from './report';
import { FULL, runSuite } from './suite';

const only = process.argv.slice(2);
const report = await runSuite(FULL, (text) => process.stderr.write(`${text}\n`), only);
process.stdout.write('\n' + formatConsole(report));
if (!only.length) {
  writeReport(report, fileURLToPath(new URL('.', import.meta.url)));
  process.stdout.write('\nWrote bench/results.md and bench/results.json\n');
}
// Missed goals are results; only a benchmark that could not measure fails the run.
const crashed = report.sections.filter((s) => s.error);
if (crashed.length) {
  process.stderr.write(`\n${crashed.length} benchmark(s) CRASHED: ${crashed.map((s) => s.title).join(', ')}\n`);
  process.exitCode = 1;
}
