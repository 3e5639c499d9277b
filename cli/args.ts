import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { CsvColumns } from '../lib/csv';
import type { KeyMode } from '../lib/key-mode';
import { VENDOR_IDS, type VendorId } from '../lib/vendors';
import { closest, orList } from './suggest';

export const USAGE = `Usage:
  keyatlas export  -c, --config FILE [-o, --out FILE|-] [--format csv|json|ndjson]
                   [--keys masked|full|omit] [--columns standard|extended]
                   [--vendor ID]... [--instance NAME]...
                   [--expiring-within DAYS] [--fail-on-expiring DAYS]
                   [--fail-on-older-than DAYS] [--evidence FILE] [--timeout SECONDS]
                   [-q, --quiet]
  keyatlas summary -c, --config FILE [--json] [--vendor ID]... [--instance NAME]...
                   [--fail-on-expiring DAYS] [--fail-on-older-than DAYS]
                   [--timeout SECONDS] [-q, --quiet]
  keyatlas diff    OLD.csv NEW.csv [--format table|csv|json]
  keyatlas -h, --help
  keyatlas -V, --version

Commands:
  export    read every configured instance and write one file of its API keys
            (default keyatlas-<UTC date>T<time>Z.<format>, a new file
            each run, never replacing one; "-" writes to stdout)
  summary   per instance: total, expired, ≤7 days, ≤30 days, never, orphaned,
            older than the rotation policy (when one is set), coverage, error
  diff      keys added, removed, whose expiry or owner changed, and that became
            orphaned, between two KeyAtlas CSV exports (any key mode); nothing
            is requested

Options:
  -c, --config FILE        the instances (JSON; keyatlas.schema.json describes it)
  -o, --out FILE|-         where export writes (an existing FILE is replaced);
                           "-" is stdout
  --format FORMAT          csv (default), json (one array) or ndjson (one record per
                           line, for log pipelines): the same records in the same order
  --keys MODE              masked (default: first 4 … last 4), full (the secrets
                           themselves: handle the file with care), omit (empty)
  --columns SET            standard (default: the 12 columns) or extended (adds
                           owner_state, owner_last_login, age_days, coverage);
                           json and ndjson always carry them
  --vendor ID              only these vendors: ${VENDOR_IDS.join(', ')}
  --instance NAME          only these configured instances
  --expiring-within DAYS   only keys that are expired or expire within DAYS days
  --fail-on-expiring DAYS  exit 3 when every instance was read but a key is expired
                           or expires within DAYS days (for schedulers and CI)
  --fail-on-older-than DAYS
                           exit 3 when every instance was read but a key is older
                           than DAYS days (overrides the config's maxKeyAgeDays)
  --evidence FILE          also write a JSON manifest for auditors: per instance its
                           outcome, coverage, warnings and the evidence it was decided
                           from, and the written file's SHA-256 and row count
  --timeout SECONDS        per request (default 30)
  -q, --quiet              no progress or summary on stderr (errors and warnings
                           are still shown)
  --json                   summary as JSON, with each instance's warnings

Exit codes: 0 all instances read; 1 at least one instance failed (the file still
holds every row that was read); 2 usage or configuration error (nothing sent);
3 --fail-on-expiring or --fail-on-older-than matched a key. The highest-ranked
applies: 2, then 1, then 3.
Warnings ("warning: …" on stderr) never change the exit code.
`;

/** A mistake in the command line: `problem` names it, `suggestions` are the nearest real spellings. */
export class UsageError extends Error {
  constructor(
    problem: string,
    readonly suggestions: readonly string[] = [],
  ) {
    super(problem);
  }
}

/** One line: the whole help after it would bury the line that matters. */
export function usageLine(error: UsageError): string {
  const hint = error.suggestions.length ? `; did you mean ${orList(error.suggestions)}?` : '';
  return `keyatlas: ${error.message}${hint} (see keyatlas --help)\n`;
}

const COMMANDS = ['export', 'summary', 'diff'] as const;

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
      columns: CsvColumns;
      vendors: VendorId[];
      instances: string[];
      expiringWithin?: number;
      failOnExpiring?: number;
      failOnOlderThan?: number;
      evidence?: string;
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
  columns: { type: 'string' },
  vendor: { type: 'string', multiple: true },
  instance: { type: 'string', multiple: true },
  'expiring-within': { type: 'string' },
  'fail-on-expiring': { type: 'string' },
  'fail-on-older-than': { type: 'string' },
  evidence: { type: 'string' },
  timeout: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
} as const satisfies ParseArgsConfig['options'];

/** Options only export reads: summary refuses them rather than ignore them. */
const EXPORT_ONLY = ['out', 'format', 'keys', 'columns', 'expiring-within', 'evidence'] as const satisfies readonly (keyof typeof OPTIONS)[];

const DIFF_OPTIONS = { format: { type: 'string' } } as const satisfies ParseArgsConfig['options'];
const DIFF_FORMATS: readonly DiffFormat[] = ['table', 'csv', 'json'];

// Parsed here, run in ./diff: --help and --version load neither papaparse nor the diff code.
export function parseDiffArgs(argv: string[]): DiffArgs {
  const { values, positionals } = parseStrict(argv, DIFF_OPTIONS);
  if (positionals.length !== 2) throw new UsageError('diff needs two files: OLD.csv NEW.csv');
  const format = oneOf('--format', values.format ?? 'table', DIFF_FORMATS);
  return { command: 'diff', oldFile: positionals[0]!, newFile: positionals[1]!, format };
}

export function parseCliArgs(argv: string[]): CliArgs | DiffArgs {
  if (argv[0] === 'diff' && !argv.includes('--help') && !argv.includes('-h')) return parseDiffArgs(argv.slice(1));
  const { values, positionals } = parseStrict(argv, OPTIONS);
  if (values.help) return { command: 'help' };
  if (values.version) return { command: 'version' };
  const [command, ...extra] = positionals;
  if (!command) throw new UsageError(`no command given: ${orList(COMMANDS)}`);
  if (command !== 'export' && command !== 'summary') throw new UsageError(`unknown command ${JSON.stringify(command)}`, closest(command, COMMANDS));
  if (extra.length) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  if (!values.config) throw new UsageError('--config FILE is required');
  const exportOnly = EXPORT_ONLY.find((name) => values[name] !== undefined);
  if (command === 'summary' && exportOnly) throw new UsageError(`--${exportOnly} belongs to export, not summary`);
  if (command === 'export' && values.json) throw new UsageError('--json belongs to summary (export has --format json)');

  const keys = oneOf('--keys', values.keys ?? 'masked', ['masked', 'full', 'omit'] as const);
  const columns = oneOf('--columns', values.columns ?? 'standard', ['standard', 'extended'] as const satisfies readonly CsvColumns[]);
  const format = oneOf('--format', values.format ?? 'csv', FORMATS);
  const vendors = (values.vendor ?? []).map((v) => oneOf('--vendor', v, VENDOR_IDS));
  return {
    command,
    config: values.config,
    out: values.out,
    format,
    keys,
    columns,
    vendors,
    instances: values.instance ?? [],
    expiringWithin: optionalDays('--expiring-within', values['expiring-within']),
    failOnExpiring: optionalDays('--fail-on-expiring', values['fail-on-expiring']),
    failOnOlderThan: optionalDays('--fail-on-older-than', values['fail-on-older-than']),
    evidence: values.evidence,
    timeoutMs: values.timeout === undefined ? 30_000 : wholeNumber('--timeout', values.timeout, 1) * 1000,
    quiet: values.quiet ?? false,
    json: values.json ?? false,
  };
}

function oneOf<T extends string>(option: string, text: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(text)) return text as T;
  throw new UsageError(`${option} must be ${orList(allowed)}, not ${JSON.stringify(text)}`, closest(text, allowed));
}

/**
 * parseArgs in strict mode, its errors retold: Node's own text is long, quotes unevenly and
 * suggests nothing, so the offending token is found again and named in one line.
 */
function parseStrict<const O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageErrorOf(args, options) ?? error;
  }
}

function usageErrorOf(args: string[], options: NonNullable<ParseArgsConfig['options']>): UsageError | undefined {
  const { tokens } = parseArgs({ args, options, allowPositionals: true, strict: false, tokens: true });
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const option = options[token.name];
    if (!option) {
      const long = token.rawName.startsWith('--');
      const known = long ? Object.keys(options) : Object.values(options).flatMap((o) => (o.short ? [o.short] : []));
      // `-qz` is read as -q -z: name the argument the unknown letter came from.
      const arg = args[token.index]!;
      const within = long || arg.length <= 2 ? '' : ` (in ${JSON.stringify(arg)})`;
      return new UsageError(`unknown option ${token.rawName}${within}`, closest(token.name, known).map((name) => (long ? `--${name}` : `-${name}`)));
    }
    if (option.type === 'boolean' && token.value !== undefined) return new UsageError(`${token.rawName} takes no value`);
    if (option.type === 'string' && token.value === undefined) return new UsageError(`${token.rawName} needs a value`);
    // Node refuses `--config -q` as ambiguous: the value looks like an option.
    if (option.type === 'string' && !token.inlineValue && token.value!.length > 1 && token.value!.startsWith('-'))
      return new UsageError(`${token.rawName} needs a value, but ${token.value} follows it (write --${token.name}=${token.value} if that is the value)`);
  }
  return undefined;
}

const optionalDays = (option: string, text: string | undefined) => (text === undefined ? undefined : wholeNumber(option, text, 0));

function wholeNumber(option: string, text: string, min: number): number {
  if (!/^\d+$/.test(text) || Number(text) < min) throw new UsageError(`${option} must be a whole number ≥ ${min}, not "${text}"`);
  return Number(text);
}
