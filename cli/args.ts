import { parseArgs } from 'node:util';
import type { KeyMode } from '../lib/csv';
import { VENDOR_IDS, type VendorId } from '../lib/vendors';
import { parseDiffArgs, type DiffArgs } from './diff';

export const USAGE = `Usage:
  keyatlas export  --config FILE [--out FILE.csv|-] [--keys masked|full|omit]
                   [--vendor ID]... [--instance NAME]... [--expiring-within DAYS]
                   [--timeout SECONDS] [--quiet]
  keyatlas summary --config FILE [--json] [--vendor ID]... [--instance NAME]...
                   [--timeout SECONDS] [--quiet]
  keyatlas diff    OLD.csv NEW.csv [--format table|csv|json]
  keyatlas --help

Commands:
  export    read every configured instance and write one CSV of its API keys
            (default file keyatlas-<UTC date>.csv; "-" writes to stdout)
  summary   per instance: total, expired, ≤7 days, ≤30 days, never, error
  diff      keys added, removed and whose expiry changed between two KeyAtlas
            CSV exports (any key mode); nothing is requested

Options:
  --keys MODE             masked (default: first 4 … last 4), full (the secrets
                          themselves: handle the file with care), omit (empty)
  --vendor ID             only these vendors: ${VENDOR_IDS.join(', ')}
  --instance NAME         only these configured instances
  --expiring-within DAYS  only keys that are expired or expire within DAYS days
  --timeout SECONDS       per request (default 30)
  --quiet                 no progress or summary on stderr (errors are still shown)

Exit codes: 0 all instances read, 1 at least one instance failed (the CSV still
holds every row that was read), 2 usage or configuration error (nothing sent).
`;

export class UsageError extends Error {}

export interface CliArgs {
  command: 'export' | 'summary' | 'help';
  config: string;
  out?: string;
  keys: KeyMode;
  vendors: VendorId[];
  instances: string[];
  expiringWithin?: number;
  timeoutMs: number;
  quiet: boolean;
  json: boolean;
}

export function parseCliArgs(argv: string[]): CliArgs | DiffArgs {
  if (argv[0] === 'diff' && !argv.includes('--help') && !argv.includes('-h')) return parseDiffArgs(argv.slice(1));
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        config: { type: 'string', short: 'c' },
        out: { type: 'string', short: 'o' },
        keys: { type: 'string' },
        vendor: { type: 'string', multiple: true },
        instance: { type: 'string', multiple: true },
        'expiring-within': { type: 'string' },
        timeout: { type: 'string' },
        quiet: { type: 'boolean', short: 'q' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: 'help', config: '', keys: 'masked', vendors: [], instances: [], timeoutMs: 30_000, quiet: false, json: false };
  const [command, ...extra] = positionals;
  if (!command) throw new UsageError('no command given');
  if (command !== 'export' && command !== 'summary') throw new UsageError(`unknown command "${command}"`);
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`);
  if (!values.config) throw new UsageError('--config FILE is required');
  if (command === 'summary' && (values.out || values.keys || values['expiring-within']))
    throw new UsageError('--out, --keys and --expiring-within belong to export');
  if (command === 'export' && values.json) throw new UsageError('--json belongs to summary');

  const keys = values.keys ?? 'masked';
  if (keys !== 'masked' && keys !== 'full' && keys !== 'omit') throw new UsageError(`--keys must be masked, full or omit, not "${keys}"`);
  const vendors = (values.vendor ?? []).map((v) => {
    if (!(VENDOR_IDS as readonly string[]).includes(v)) throw new UsageError(`--vendor "${v}" is not one of ${VENDOR_IDS.join(', ')}`);
    return v as VendorId;
  });
  return {
    command,
    config: values.config,
    out: values.out,
    keys,
    vendors,
    instances: values.instance ?? [],
    expiringWithin: values['expiring-within'] === undefined ? undefined : wholeNumber('--expiring-within', values['expiring-within'], 0),
    timeoutMs: values.timeout === undefined ? 30_000 : wholeNumber('--timeout', values.timeout, 1) * 1000,
    quiet: values.quiet ?? false,
    json: values.json ?? false,
  };
}

function wholeNumber(option: string, text: string, min: number): number {
  if (!/^\d+$/.test(text) || Number(text) < min) throw new UsageError(`${option} must be a whole number ≥ ${min}, not "${text}"`);
  return Number(text);
}
