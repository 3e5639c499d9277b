import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { redact } from '../lib/apis/errors';
import { ConfigError, parseConfigText, resolveSecrets, type ResolvedInstance } from '../lib/config';
import { runInventory, type InventoryResult, type ProgressEvent } from '../lib/inventory';
import { formatSummaryTable, summarize } from '../lib/report';
import { utcDate } from '../lib/utc-date';
import type { InventoryArgs } from './args';
import { cleartextWarnings } from './cleartext';
import { EXIT, inventoryExitCode } from './exit';
import type { CliIo } from './keyatlas';
import { expiresWithin, formatRecords } from './output';
import { terminalText } from './terminal-text';
import { fetchersFor } from './tls';

/** `export` and `summary`: everything that needs zod, undici and papaparse, loaded only when one of them runs. */
export async function runInventoryCommand(args: InventoryArgs, io: CliIo): Promise<number> {
  let configured: ResolvedInstance[];
  let instances: ResolvedInstance[];
  let fetchFor: ReturnType<typeof fetchersFor>;
  try {
    configured = loadInstances(args.config, io.env);
    fetchFor = fetchersFor(configured, args.config);
    instances = select(configured, args);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr.write(`keyatlas: configuration error in ${error.message}\nNothing was sent.\n`);
    return EXIT.usage;
  }
  const secrets = configured.flatMap((i) => [i.apiKey, i.password]);
  try {
    for (const line of cleartextWarnings(instances)) io.stderr.write(line);
    return await readAndReport(instances, fetchFor, args, io);
  } catch (error) {
    // An unexpected error's text may quote what it choked on: never a configured secret.
    throw Object.assign(new Error(redact(String((error as Error)?.message ?? error), secrets)), { name: (error as Error)?.name ?? 'Error' });
  }
}

async function readAndReport(instances: ResolvedInstance[], fetchFor: ReturnType<typeof fetchersFor>, args: InventoryArgs, io: CliIo): Promise<number> {
  const showProgress = !args.quiet && !!io.stderr.isTTY;
  const result = await runInventory(instances, {
    fetchFor,
    http: { timeoutMs: args.timeoutMs },
    now: io.now(),
    onProgress: showProgress ? (event) => io.stderr.write(progressLine(event)) : undefined,
  });

  if (args.command === 'summary') {
    const rows = summarize(result);
    io.stdout.write(args.json ? JSON.stringify(rows, null, 2) + '\n' : terminalText(formatSummaryTable(rows)));
  } else {
    const records = args.expiringWithin === undefined ? result.records : result.records.filter((r) => expiresWithin(r, args.expiringWithin!));
    const text = formatRecords(records, args.format, args.keys);
    const out = args.out ?? `keyatlas-${utcDate(io.now())}.${args.format}`;
    if (out === '-') io.stdout.write(text);
    else {
      try {
        writeAtomically(out, text);
      } catch (error) {
        io.stderr.write(`keyatlas: cannot write ${out} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): nothing was saved\n`);
        return EXIT.instanceFailed;
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
  return inventoryExitCode({ failed: failed.length > 0, expiring: expiringGate(result, args.failOnExpiring) });
}

/** --fail-on-expiring looks at every key read, whatever --expiring-within kept in the file. */
function expiringGate({ records }: InventoryResult, days: number | undefined): boolean {
  return days !== undefined && records.some((r) => expiresWithin(r, days));
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

function select(instances: ResolvedInstance[], args: InventoryArgs): ResolvedInstance[] {
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

/** The file appears whole or not at all, so a crash never leaves a half-written file behind. */
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
