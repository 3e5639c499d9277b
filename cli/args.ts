import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { KeyMode } from '../lib/key-mode';
import { VENDOR_IDS, type VendorId } from '../lib/vendors';

export const USAGE = `Usage:
  keyatlas export  -c, --config FILE [-o, --out FILE|-] [--format csv|json|ndjson]
                   [--keys masked|full|omit] [--vendor ID]... [--instance NAME]...
                   [--expiring-within DAYS] [--fail-on-expiring DAYS]
                   [--timeout SECONDS] [-q, --quiet]
  keyatlas summary -c, --config FILE [--json] [--vendor ID]... [--instance NAME]...
                   [--fail-on-expiring DAYS] [--timeout SECONDS] [-q, --quiet]
  keyatlas diff    OLD.csv NEW.csv [--format table|csv|json]
  keyatlas -h, --help
  keyatlas -V, --version

Commands:
  export    read every configured instance and write one file of its API keys
            (default keyatlas-<UTC date>.<format>; "-" writes to stdout)
  summary   per instance: total, expired, ≤7 days, ≤30 days, never, error
  diff      keys added, removed and whose expiry changed between two KeyAtlas
            CSV exports (any key mode); nothing is requested

Options:
  -c, --config FILE        the instances (JSON; keyatlas.schema.json describes it)
  -o, --out FILE|-         where export writes; "-" is stdout
  --format FORMAT          csv (default), json (one array) or ndjson (one record per
                           line, for log pipelines): the same records in the same order
  --keys MODE              masked (default: first 4 … last 4), full (the secrets
                           themselves: handle the file with care), omit (empty)
  --vendor ID              only these vendors: ${VENDOR_IDS.join(', ')}
  --instance NAME          only these configured instances
  --expiring-within DAYS   only keys that are expired or expire within DAYS days
  --fail-on-expiring DAYS  exit 3 when every instance was read but a key is expired
                           or expires within DAYS days (for schedulers and CI)
  --timeout SECONDS        per request (default 30)
  -q, --quiet              no progress or summary on stderr (errors and warnings
                           are still shown)
  --json                   summary as JSON, with each instance's warnings

Exit codes: 0 all instances read; 1 at least one instance failed (the file still
holds every row that was read); 2 usage or configuration error (nothing sent);
3 --fail-on-expiring matched a key. The highest-ranked applies: 2, then 1, then 3.
Warnings ("warning: …" on stderr) never change the exit code.
`;

export class UsageError extends Error {}

export type DiffFormat = 'table' | 'csv' | 'json';

export interface DiffArgs {
  command: 'diff';
  oldFile: string;
  newFile: string;
  format: DiffFormat;
}

export type OutputFormat = 'csv' | 'json' | 'ndjson';
const FORMATS: readonly OutputFormat[] = ['csv', 'json', 'ndjson'];

export type CliArgs =
  | { command: 'help' | 'version' }
  | {
      command: 'export' | 'summary';
      config: string;
      out?: string;
      format: OutputFormat;
      keys: KeyMode;
      vendors: VendorId[];
      instances: string[];
      expiringWithin?: number;
      failOnExpiring?: number;
      timeoutMs: number;
      quiet: boolean;
      json: boolean;
    };

export type InventoryArgs = Extract<CliArgs, { command: 'export' | 'summary' }>;

export const OPTIONS = {
  config: { type: 'string', short: 'c' },
  out: { type: 'string', short: 'o' },
  format: { type: 'string' },
  keys: { type: 'string' },
  vendor: { type: 'string', multiple: true },
  instance: { type: 'string', multiple: true },
  'expiring-within': { type: 'string' },
  'fail-on-expiring': { type: 'string' },
  timeout: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
} as const satisfies ParseArgsConfig['options'];

// Parsed here, run in ./diff: --help and --version load neither papaparse nor the diff code.
export function parseDiffArgs(argv: string[]): DiffArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { format: { type: 'string' } } });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 2) throw new UsageError('diff needs two files: OLD.csv NEW.csv');
  const format = values.format ?? 'table';
  if (format !== 'table' && format !== 'csv' && format !== 'json') throw new UsageError(`--format must be table, csv or json, not "${format}"`);
  return { command: 'diff', oldFile: positionals[0]!, newFile: positionals[1]!, format };
}

export function parseCliArgs(argv: string[]): CliArgs | DiffArgs {
  if (argv[0] === 'diff' && !argv.includes('--help') && !argv.includes('-h')) return parseDiffArgs(argv.slice(1));
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: OPTIONS });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: 'help' };
  if (values.version) return { command: 'version' };
  const [command, ...extra] = positionals;
  if (!command) throw new UsageError('no command given');
  if (command !== 'export' && command !== 'summary') throw new UsageError(`unknown command "${command}"`);
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`);
  if (!values.config) throw new UsageError('--config FILE is required');
  if (command === 'summary' && (values.out || values.keys || values.format || values['expiring-within']))
    throw new UsageError('--out, --format, --keys and --expiring-within belong to export');
  if (command === 'export' && values.json) throw new UsageError('--json belongs to summary (export has --format json)');

  const keys = values.keys ?? 'masked';
  if (keys !== 'masked' && keys !== 'full' && keys !== 'omit') throw new UsageError(`--keys must be masked, full or omit, not "${keys}"`);
  const format = values.format ?? 'csv';
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be ${FORMATS.join(', ')}, not "${format}"`);
  const vendors = (values.vendor ?? []).map((v) => {
    if (!(VENDOR_IDS as readonly string[]).includes(v)) throw new UsageError(`--vendor "${v}" is not one of ${VENDOR_IDS.join(', ')}`);
    return v as VendorId;
  });
  return {
    command,
    config: values.config,
    out: values.out,
    format: format as OutputFormat,
    keys,
    vendors,
    instances: values.instance ?? [],
    expiringWithin: optionalDays('--expiring-within', values['expiring-within']),
    failOnExpiring: optionalDays('--fail-on-expiring', values['fail-on-expiring']),
    timeoutMs: values.timeout === undefined ? 30_000 : wholeNumber('--timeout', values.timeout, 1) * 1000,
    quiet: values.quiet ?? false,
    json: values.json ?? false,
  };
}

const optionalDays = (option: string, text: string | undefined) => (text === undefined ? undefined : wholeNumber(option, text, 0));

function wholeNumber(option: string, text: string, min: number): number {
  if (!/^\d+$/.test(text) || Number(text) < min) throw new UsageError(`${option} must be a whole number ≥ ${min}, not "${text}"`);
  return Number(text);
}
