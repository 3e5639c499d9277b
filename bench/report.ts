import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MachineFacts } from './machine';

export type Verdict = 'PASS' | 'MISS';

/** One docs/benchmarks.md#budgets: the measured value against its limit (lower is better for all of them). */
export interface GoalCheck {
  goal: string;
  measured: number;
  limit: number;
  unit: string;
  /** measured ÷ limit: under 1 is within budget. */
  ofBudget: number;
  verdict: Verdict;
  /** For a MISS: where the difference went, in this run's own measurements. */
  reason?: string;
}

/** `why` is written out only when the goal is missed: it must say what this run measured, not what was hoped. */
export function check(goal: string, measured: number, limit: number, unit: string, why?: () => string): GoalCheck {
  const verdict = measured <= limit ? 'PASS' : 'MISS';
  return { goal, measured, limit, unit, ofBudget: measured / limit, verdict, ...(verdict === 'MISS' && why ? { reason: why() } : {}) };
}

export interface Fact {
  label: string;
  value: number | string;
  unit?: string;
}

export interface Section {
  id: string;
  title: string;
  goals: GoalCheck[];
  facts: Fact[];
  /** How it was measured, in Markdown. */
  method: string;
  /** Everything the benchmark returned, for the JSON file. */
  raw?: unknown;
  /** Set when the benchmark crashed instead of measuring. */
  error?: string;
}

export interface BenchReport {
  date: string;
  durationMs: number;
  machine: MachineFacts & { loadAverage: { start: number[]; end: number[] } };
  sections: Section[];
}

const num = (value: number, unit = '') => {
  const digits = unit === '×' ? 2 : Math.abs(value) >= 100 || Number.isInteger(value) ? 0 : 1;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
};
const withUnit = (value: number | string, unit?: string) =>
  typeof value === 'string' ? value : unit === '×' ? `${num(value, unit)}×` : `${num(value, unit)}${unit ? ` ${unit}` : ''}`;

function table(head: string[], rows: string[][]): string {
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

function goalRows(sections: readonly Section[]): string[][] {
  return sections.flatMap((s) =>
    s.error
      ? [[s.title, 'the benchmark crashed', '', '', '', 'CRASH']]
      : s.goals.map((g) => [s.title, g.goal, withUnit(g.measured, g.unit), `≤ ${withUnit(g.limit, g.unit)}`, `${Math.round(g.ofBudget * 100)} %`, g.verdict]),
  );
}

/** Each missed goal with the reason its section measured. */
function missReasons(sections: readonly Section[]): { what: string; reason: string }[] {
  return sections.flatMap((s) => s.goals.filter((g) => g.verdict === 'MISS').map((g) => ({ what: `${s.title}, ${g.goal}`, reason: g.reason ?? 'no reason measured' })));
}

/** The summary for the terminal: one line per goal, crashes spelled out. */
export function formatConsole(report: BenchReport): string {
  const rows = goalRows(report.sections);
  const head = ['benchmark', 'goal', 'measured', 'limit', 'of budget', 'verdict'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const lines = [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  const missed = missReasons(report.sections);
  if (missed.length) lines.push('', 'Why missed:', ...missed.map((m) => `  - ${m.what}: ${m.reason}`));
  for (const s of report.sections) {
    if (s.error) lines.push('', `${s.title} CRASHED: ${s.error}`);
    else lines.push('', `${s.title}:`, ...s.facts.map((f) => `  ${f.label}: ${withUnit(f.value, f.unit)}`));
  }
  return lines.join('\n') + '\n';
}

const loaded = (m: BenchReport['machine']) => Math.max(m.loadAverage.start[0]!, m.loadAverage.end[0]!) > m.cores;

export function formatMarkdown(report: BenchReport): string {
  const m = report.machine;
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' / ');
  const parts = [
    '# KeyAtlas benchmarks (docs/benchmarks.md#budgets)',
    '',
    `Written by \`npm run bench\` on ${report.date} in ${(report.durationMs / 1000).toFixed(0)} s. Numbers are from that one run on the machine below; rerun to compare.`,
    '',
    table(
      ['machine', ''],
      [
        ['CPU', `${m.cpuModel}, ${m.cores} cores`],
        ['memory', `${m.memoryGiB} GiB`],
        ['Node', m.node],
        ['OS', m.os],
        ['load average (1 / 5 / 15 min) at start, end', `${load(m.loadAverage.start)}; ${load(m.loadAverage.end)}`],
      ],
    ),
    ...(loaded(m)
      ? ['', `**The machine was loaded** (load average above its ${m.cores} cores: other work shared the CPU), so absolute times are inflated; the ratios, each measured in turns within this run, are what count.`]
      : []),
    '',
    '## Goals',
    '',
    table(['benchmark', 'goal', 'measured', 'limit', 'of budget', 'verdict'], goalRows(report.sections)),
    '',
    'MiB = 2^20 bytes (what V8 and `process.memoryUsage()` count in); kB = 1,000 bytes.',
  ];
  const missed = missReasons(report.sections);
  if (missed.length) parts.push('', '### Why the missed goals missed (measured in this run)', '', ...missed.map((m) => `- **${m.what}:** ${m.reason}`));
  for (const s of report.sections) {
    parts.push('', `## ${s.title}`, '');
    if (s.error) parts.push(`**Crashed:** ${s.error}`, '');
    else parts.push(table(['measure', 'value'], s.facts.map((f) => [f.label, withUnit(f.value, f.unit)])), '');
    parts.push(`**Method.** ${s.method}`);
  }
  return parts.join('\n') + '\n';
}

/** Writes results.md and results.json into `dir`. */
export function writeReport(report: BenchReport, dir: string): void {
  writeFileSync(join(dir, 'results.md'), formatMarkdown(report));
  writeFileSync(join(dir, 'results.json'), JSON.stringify(report, null, 2) + '\n');
}
