import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import pkg from '../package.json' with { type: 'json' };
import { redact } from '../lib/apis/errors';
import { ConfigError, parseConfigText, resolveSecrets, type ResolvedInstance } from '../lib/config';
import { buildEvidence, evidenceText } from '../lib/evidence';
import { runInventory, type InventoryResult, type ProgressEvent } from '../lib/inventory';
import { formatSummaryTable, summarize } from '../lib/report';
import { countOf } from '../lib/plural';
import { utcTimestamp } from '../lib/utc-date';
import type { InventoryArgs } from './args';
import { cleartextWarnings } from './cleartext';
import { EXIT, inventoryExitCode } from './exit';
import type { CliIo } from './io';
import { expiresWithin, formatRecords, isOlderThan } from './output';
import { closest, orList } from './suggest';
import { terminalText } from './terminal-text';
import { CLI_ADVICE, fetchersFor } from './tls';

/** `export` and `summary`: everything that needs zod, undici and papaparse, loaded only when one of them runs. */
export async function runInventoryCommand(args: InventoryArgs, io: CliIo): Promise<number> {
  let configured: ResolvedInstance[];
  let instances: ResolvedInstance[];
  let fetchFor: ReturnType<typeof fetchersFor>;
  let maxKeyAgeDays: number | undefined;
  try {
    ({ instances: configured, maxKeyAgeDays } = loadConfig(args.config, io.env));
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
    // --fail-on-older-than is the policy of this run: summary's older_than counts against it too.
    return await readAndReport(instances, fetchFor, args, io, args.failOnOlderThan ?? maxKeyAgeDays);
  } catch (error) {
    // An unexpected error's text may quote what it choked on: never a configured secret.
    throw Object.assign(new Error(redact(String((error as Error)?.message ?? error), secrets)), { name: (error as Error)?.name ?? 'Error' });
  }
}

async function readAndReport(
  instances: ResolvedInstance[],
  fetchFor: ReturnType<typeof fetchersFor>,
  args: InventoryArgs,
  io: CliIo,
  maxKeyAgeDays: number | undefined,
): Promise<number> {
  const policy = { maxKeyAgeDays };
  const showProgress = !args.quiet && !!io.stderr.isTTY;
  const now = io.now();
  const result = await runInventory(instances, {
    fetchFor,
    http: { timeoutMs: args.timeoutMs, advice: CLI_ADVICE },
    now,
    onProgress: showProgress ? (event) => io.stderr.write(progressLine(event)) : undefined,
  });

  if (args.command === 'summary') {
    const rows = summarize(result, policy);
    io.stdout.write(args.json ? JSON.stringify(rows, null, 2) + '\n' : terminalText(formatSummaryTable(rows, policy)));
  } else {
    const records = args.expiringWithin === undefined ? result.records : result.records.filter((r) => expiresWithin(r, args.expiringWithin!));
    const text = formatRecords(records, args.format, args.keys, args.columns);
    // The default name carries the time of the run, so exports of one day each survive for `keyatlas diff`;
    // an explicit --out is the user's choice and is replaced.
    const out = args.out ?? `keyatlas-${utcTimestamp(now)}.${args.format}`;
    if (out === '-') io.stdout.write(text);
    else if (args.out === undefined && existsSync(out)) {
      io.stderr.write(`keyatlas: ${out} already exists (another export started in the same second?): nothing was saved or overwritten; choose a name with --out\n`);
      return EXIT.instanceFailed;
    } else {
      try {
        writeAtomically(out, text);
      } catch (error) {
        io.stderr.write(`keyatlas: cannot write ${out} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): nothing was saved\n`);
        return EXIT.instanceFailed;
      }
    }
    if (args.evidence !== undefined) {
      const evidence = await buildEvidence({
        version: pkg.version,
        now: io.now(),
        instances,
        results: result.results,
        file: { text, rows: records.length, format: args.format, ...(out === '-' ? {} : { name: basename(out) }) },
      });
      try {
        writeAtomically(args.evidence, evidenceText(evidence));
      } catch (error) {
        io.stderr.write(`keyatlas: cannot write ${args.evidence} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): no evidence was saved\n`);
        return EXIT.instanceFailed;
      }
    }
    if (!args.quiet) {
      io.stderr.write(formatSummaryTable(summarize(result, policy), policy));
      if (out !== '-') io.stderr.write(`\nWrote ${countOf(records.length, 'key')} to ${out}${args.keys === 'full' ? ' (FULL keys: store it like a password)' : ''}\n`);
    }
  }
  // docs/contract.md#output-and-warnings: every warning on its own line, with or without --quiet; never a change of exit code.
  for (const warning of result.results.flatMap((r) => r.warnings)) io.stderr.write(`warning: ${warning}\n`);
  // Each failure is spelled out once, here (the table only marks it), even with --quiet.
  for (const f of result.results.filter((r) => !r.ok)) io.stderr.write(`error: ${f.error!.message}\n`);
  const failed = result.results.some((r) => !r.ok);
  return inventoryExitCode({ failed, expiring: expiringGate(result, args.failOnExpiring) || ageGate(result, args.failOnOlderThan) });
}

/** --fail-on-expiring looks at every key read, whatever --expiring-within kept in the file. */
function expiringGate({ records }: InventoryResult, days: number | undefined): boolean {
  return days !== undefined && records.some((r) => expiresWithin(r, days));
}

/** --fail-on-older-than, over every key read as well. */
function ageGate({ records }: InventoryResult, days: number | undefined): boolean {
  return days !== undefined && records.some((r) => isOlderThan(r, days));
}

function loadConfig(path: string, env: CliIo['env']): { instances: ResolvedInstance[]; maxKeyAgeDays?: number } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(path, [{ path: '', message: `cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})` }]);
  }
  const config = parseConfigText(text, path);
  return { instances: resolveSecrets(config, env, path), maxKeyAgeDays: config.maxKeyAgeDays };
}

function select(instances: ResolvedInstance[], args: InventoryArgs): ResolvedInstance[] {
  const unknown = args.instances.filter((name) => !instances.some((i) => i.name === name));
  if (unknown.length)
    throw new ConfigError(
      args.config,
      unknown.map((name) => {
        const near = closest(name, instances.map((i) => i.name)).map((n) => JSON.stringify(n));
        return { path: '--instance', message: `no instance named ${JSON.stringify(name)} in the config${near.length ? `; did you mean ${orList(near)}?` : ''}` };
      }),
    );
  return instances.filter(
    (i) => (!args.vendors.length || args.vendors.includes(i.vendor)) && (!args.instances.length || args.instances.includes(i.name)),
  );
}

function progressLine(event: ProgressEvent): string {
  switch (event.type) {
    case 'start':
      return `${event.instance}: reading…\n`;
    case 'page':
      return `${event.instance}: ${event.total === undefined ? countOf(event.read, 'key') : `${event.read}/${countOf(event.total, 'key')}`}\n`;
    case 'done':
      return `${event.result.instance}: ${event.result.ok ? countOf(event.result.count, 'key') : event.result.error?.kind === 'incomplete' ? 'INCOMPLETE' : 'FAILED'}\n`;
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
