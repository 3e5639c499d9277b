import type { Coverage } from './coverage';
import type { InventoryResult } from './inventory';
import { olderThan } from './owners';
import { countOf } from './plural';
import { bucketize, type Buckets, type KeyRecord } from './record';
import type { VendorId } from './vendors';

export interface InstanceSummary extends Buckets {
  instance: string;
  vendor: VendorId;
  error: string | null;
  /** The failure kind (`incomplete`, `auth`, …), null when the instance was read. */
  errorKind: string | null;
  /** docs/contract.md#outcomes "ok with warnings": each names the instance and what is missing. */
  warnings: string[];
  /** What the credential can see: the outcome holds for this scope (docs/completeness.md). */
  coverage: Coverage;
  /** Keys whose owner is not in the tenant's user list (lib/owners.ts). */
  orphaned: number;
  /** Keys older than the rotation policy; present only when a policy is set. */
  older_than?: number;
}

/** docs/contract.md#buckets per instance, in the order the instances were configured; `maxKeyAgeDays`: the rotation policy, if any. */
export function summarize({ records, results }: InventoryResult, { maxKeyAgeDays }: { maxKeyAgeDays?: number } = {}): InstanceSummary[] {
  const byInstance = new Map<string, typeof records>();
  for (const r of records) {
    const list = byInstance.get(r.instance);
    if (list) list.push(r);
    else byInstance.set(r.instance, [r]);
  }
  const count = (list: readonly KeyRecord[], test: (r: KeyRecord) => boolean) => list.reduce((n, r) => (test(r) ? n + 1 : n), 0);
  return results.map((result) => {
    const list = byInstance.get(result.instance) ?? [];
    return {
      instance: result.instance,
      vendor: result.vendor,
      ...bucketize(list),
      error: result.error?.message ?? null,
      errorKind: result.error?.kind ?? null,
      warnings: result.warnings,
      coverage: result.coverage,
      orphaned: count(list, (r) => r.owner_state === 'orphaned'),
      ...(maxKeyAgeDays === undefined ? {} : { older_than: count(list, (r) => olderThan(r.age_days, maxKeyAgeDays)) }),
    };
  });
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
export function formatSummaryTable(rows: readonly InstanceSummary[], { maxKeyAgeDays }: { maxKeyAgeDays?: number } = {}): string {
  const aged = maxKeyAgeDays !== undefined;
  const header = ['instance', 'vendor', 'total', 'expired', '≤7 days', '≤30 days', 'never', 'orphaned', ...(aged ? [`>${maxKeyAgeDays} days old`] : []), 'coverage', 'status'];
  const body = rows.map((r) => [
    r.instance,
    r.vendor,
    String(r.total),
    String(r.expired),
    String(r.within7),
    String(r.within30),
    String(r.never),
    String(r.orphaned),
    ...(aged ? [String(r.older_than ?? 0)] : []),
    r.coverage,
    statusText(r),
  ]);
  const lastCount = aged ? 8 : 7;
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 2 && i <= lastCount ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), ...body.map(line)].join('\n') + '\n';
}
