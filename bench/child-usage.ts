import { writeFileSync } from 'node:fs';

// Loaded with `--import` into a child (the CLI): on exit, whatever the exit code, it writes the
// kernel's peak RSS for the process to the file the benchmark named.
const out = process.env.KEYATLAS_BENCH_USAGE;
if (out) process.on('exit', () => writeFileSync(out, JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS })));
