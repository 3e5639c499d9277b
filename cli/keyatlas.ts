import { pathToFileURL } from 'node:url';
import pkg from '../package.json' with { type: 'json' };
import { parseCliArgs, USAGE, usageLine, UsageError, type CliArgs, type DiffArgs } from './args';
import { crashLine, EXIT, installProcessGuards } from './exit';
import { processIo, type CliIo } from './io';
import { terminalStream } from './terminal-text';

/** Runs the command line; returns the exit code (docs/contract.md#exit-codes: 0 ok, 1 an instance failed, 2 usage/config, 3 --fail-on-expiring; a crash is 70). */
export async function main(argv: string[], given: CliIo = processIo()): Promise<number> {
  // stderr carries only human text, vendor error bodies among it: no control character acts there.
  const io = { ...given, stderr: terminalStream(given.stderr) };
  try {
    return await dispatch(argv, io);
  } catch (error) {
    io.stderr.write(crashLine(error));
    return EXIT.crash;
  }
}

async function dispatch(argv: string[], io: CliIo): Promise<number> {
  // Nothing typed at all is a question, not a mistake: the whole usage answers it.
  if (argv.length === 0) {
    io.stderr.write(USAGE);
    return EXIT.usage;
  }
  let args: CliArgs | DiffArgs;
  try {
    args = parseCliArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(usageLine(error));
    return EXIT.usage;
  }
  switch (args.command) {
    case 'help':
      io.stdout.write(USAGE);
      return EXIT.ok;
    case 'version':
      io.stdout.write(`${pkg.version}\n`);
      return EXIT.ok;
  }
  if (args.command === 'diff') return (await import('./diff')).runDiff(args, io);
  // Imported here, so --help and --version start without zod, undici or papaparse (docs/benchmarks.md#budgets).
  const { runInventoryCommand } = await import('./inventory-command');
  return runInventoryCommand(args, io);
}

/** What the installed `keyatlas` and `npm run keyatlas` run. */
export async function runAsCommand(): Promise<void> {
  installProcessGuards();
  process.exitCode = await main(process.argv.slice(2));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runAsCommand();
