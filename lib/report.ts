import type { Coverage } from './coverage';
import type { InventoryResult } from './inventory';
import { countOf } from './plural';
import { bucketize, type Buckets } from './record';
import type { VendorId } from './vendors';

export interface InstanceSummary extends Buckets {
  instance: string;
  vendor: VendorId;
  error: string | null;
  /** The failure kind (`incomplete`, `auth`, …), null when the instance was read. */
  errorKind: string | null;
  /** SPEC §1 "ok with warnings": each names the instance and what is missing. */
  warnings: string[];
  /** What the credential can see: the outcome holds for this scope (docs/completeness.md). */
  coverage: Coverage;
}

/** SPEC §4 per-instance buckets, in the order the instances were configured. */
export function summarize({ records, results }: InventoryResult): InstanceSummary[] {
  const byInstance = new Map<string, typeof records>();
  for (const r of records) {
    const list = byInstance.get(r.instance);
    if (list) list.push(r);
    else byInstance.set(r.instance, [r]);
  }
  return results.map((result) => ({
    instance: result.instance,
    vendor: result.vendor,
    ...bucketize(byInstance.get(result.instance) ?? []),
    error: result.error?.message ?? null,
    errorKind: result.error?.kind ?? null,
    warnings: result.warnings,
    coverage: result.coverage,
  }));
}

function statusText(r: InstanceSummary): string {
  if (r.errorKind === 'incomplete') return 'INCOMPLETE';
  if (r.error) return 'FAILED';
  return r.warnings.length ? `ok (${countOf(r.warnings.length, 'warning')})` : 'ok';
}

/**
 * A plain-text table for terminals, one line per instance. Failures are only marked here: the CLI
 * spells each one out on stderr, once, whether the table goes to a terminal, a file or a pipe.
 */
export function formatSummaryTable(rows: readonly InstanceSummary[]): string {
  const header = ['instance', 'vendor', 'total', 'expired', '≤7 days', '≤30 days', 'never', 'coverage', 'status'];
  const body = rows.map((r) => [
    r.instance,
    r.vendor,
    String(r.total),
    String(r.expired),
    String(r.within7),
    String(r.within30),
    String(r.never),
    r.coverage,
    statusText(r),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 2 && i <= 6 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), ...body.map(line)].join('\n') + '\n';
}
