import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { ConfigError, parseConfigText, resolveSecrets, type ResolvedInstance } from '../lib/config';
import { toCsv } from '../lib/csv';
import { runInventory, type ProgressEvent } from '../lib/inventory';
import { formatSummaryTable, summarize } from '../lib/report';
import { utcDate } from '../lib/utc-date';
import { parseCliArgs, USAGE, UsageError, type CliArgs } from './args';
import { fetchersFor } from './tls';

export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: Record<string, string | undefined>;
  now: () => Date;
}

const processIo = (): CliIo => ({ stdout: process.stdout, stderr: process.stderr, env: process.env, now: () => new Date() });

/** Runs the command line; returns the exit code (SPEC §4: 0 ok, 1 an instance failed, 2 usage/config). */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  let args: CliArgs;
  try {
    args = parseCliArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`keyatlas: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (args.command === 'help') {
    io.stdout.write(USAGE);
    return 0;
  }

  let instances: ResolvedInstance[];
  let fetchFor: ReturnType<typeof fetchersFor>;
  try {
    const configured = loadInstances(args.config, io.env);
    fetchFor = fetchersFor(configured, args.config);
    instances = select(configured, args);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr.write(`keyatlas: configuration error in ${error.message}\nNothing was sent.\n`);
    return 2;
  }

  const showProgress = !args.quiet && !!io.stderr.isTTY;
  const result = await runInventory(instances, {
    fetchFor,
    http: { timeoutMs: args.timeoutMs },
    now: io.now(),
    onProgress: showProgress ? (event) => io.stderr.write(progressLine(event)) : undefined,
  });

  if (args.command === 'summary') {
    const rows = summarize(result);
    io.stdout.write(args.json ? JSON.stringify(rows, null, 2) + '\n' : formatSummaryTable(rows));
  } else {
    const records =
      args.expiringWithin === undefined
        ? result.records
        : result.records.filter((r) => r.status === 'expired' || (r.days_left !== null && r.days_left <= args.expiringWithin!));
    const csv = toCsv(records, { keys: args.keys });
    const out = args.out ?? `keyatlas-${utcDate(io.now())}.csv`;
    if (out === '-') io.stdout.write(csv);
    else {
      try {
        writeAtomically(out, csv);
      } catch (error) {
        io.stderr.write(`keyatlas: cannot write ${out} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): nothing was saved\n`);
        return 1;
      }
    }
    if (!args.quiet) {
      io.stderr.write(formatSummaryTable(summarize(result)));
      if (out !== '-') io.stderr.write(`\nWrote ${records.length} keys to ${out}${args.keys === 'full' ? ' (FULL keys: store it like a password)' : ''}\n`);
    }
  }
  // SPEC §4: every warning on its own line, with or without --quiet; never a change of exit code.
  for (const warning of result.results.flatMap((r) => r.warnings)) io.stderr.write(`warning: ${warning}\n`);
  const failed = result.results.filter((r) => !r.ok);
  // Failures are named even with --quiet (and already in the table without it).
  if (args.quiet || args.command === 'summary') for (const f of failed) io.stderr.write(`error: ${f.error!.message}\n`);
  return failed.length ? 1 : 0;
}

function loadInstances(path: string, env: CliIo['env']): ResolvedInstance[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(path, [{ path: '', message: `cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})` }]);
  }
  return resolveSecrets(parseConfigText(text, path), env, path);
}

function select(instances: ResolvedInstance[], args: CliArgs): ResolvedInstance[] {
  const unknown = args.instances.filter((name) => !instances.some((i) => i.name === name));
  if (unknown.length)
    throw new ConfigError(args.config, unknown.map((name) => ({ path: '--instance', message: `no instance named "${name}" in the config` })));
  return instances.filter(
    (i) => (!args.vendors.length || args.vendors.includes(i.vendor)) && (!args.instances.length || args.instances.includes(i.name)),
  );
}

function progressLine(event: ProgressEvent): string {
  switch (event.type) {
    case 'start':
      return `${event.instance}: reading…\n`;
    case 'page':
      return `${event.instance}: ${event.read}${event.total === undefined ? '' : `/${event.total}`} keys\n`;
    case 'done':
      return `${event.result.instance}: ${event.result.ok ? `${event.result.count} keys` : event.result.error?.kind === 'incomplete' ? 'INCOMPLETE' : 'FAILED'}\n`;
  }
}

/** The file appears whole or not at all, so a crash never leaves a half-written CSV behind. */
function writeAtomically(path: string, text: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, text, { mode: 0o600 });
    renameSync(temp, path);
  } catch (error) {
    // A half-written temp file may hold keys.
    rmSync(temp, { force: true });
    throw error;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
