import type { Page } from 'playwright-core';
import type { Buckets } from '../../../lib/record';
import { until } from '../support/wait';

export type SummaryCounts = Pick<Buckets, 'expired' | 'within7' | 'within30' | 'never'>;

/** The `summary-*` counts the popup should show for these buckets. */
export const summaryCounts = (b: Buckets): SummaryCounts => ({ expired: b.expired, within7: b.within7, within30: b.within30, never: b.never });

export interface InstanceRowView {
  name: string;
  lastRefresh: string | null;
  error: string | null;
  /** `data-outcome`, `data-coverage` and the `instance-warning` texts (docs/contract.md). */
  outcome: string | null;
  coverage: string | null;
  warnings: string[];
}

/** The popup through its docs/contract.md#test-ids automation hooks (data-testid), opened as a tab. */
export class PopupPage {
  constructor(readonly page: Page) {}

  async waitForDashboard(): Promise<void> {
    await this.page.getByTestId('summary-expired').waitFor();
  }

  async summary(): Promise<SummaryCounts> {
    await this.waitForDashboard();
    const count = async (id: string) => Number(await this.page.getByTestId(id).textContent());
    return { expired: await count('summary-expired'), within7: await count('summary-7d'), within30: await count('summary-30d'), never: await count('summary-never') };
  }

  instanceRows(): Promise<InstanceRowView[]> {
    return this.page.$$eval('[data-testid="instance-row"]', (rows) =>
      rows.map((row) => ({
        name: (row as HTMLElement).dataset.instance ?? '',
        lastRefresh: row.querySelector('time')?.getAttribute('datetime') ?? null,
        error: row.querySelector('[data-testid="instance-error"]')?.textContent ?? null,
        outcome: row.getAttribute('data-outcome'),
        coverage: row.querySelector('[data-testid="instance-coverage"]')?.getAttribute('data-coverage') ?? null,
        warnings: [...row.querySelectorAll('[data-testid="instance-warning"]')].map((w) => w.textContent ?? ''),
      })),
    );
  }

  /**
   * Reopens the popup until no refresh runs and every named instance was read at or after
   * `since` (the popup polls by itself only while it sees a refresh running).
   */
  async waitForRefreshAfter(since: Date, names: readonly string[], timeoutMs = 60_000): Promise<InstanceRowView[]> {
    return until(
      async () => {
        await this.page.reload();
        await this.waitForDashboard();
        if (await this.page.getByTestId('refresh-progress').count()) return undefined;
        const rows = await this.instanceRows();
        const fresh = names.every((name) => {
          const row = rows.find((r) => r.name === name);
          return row?.lastRefresh && Date.parse(row.lastRefresh) >= since.getTime() - 1000;
        });
        return fresh ? rows : undefined;
      },
      `a finished refresh of ${names.join(', ')}`,
      { timeoutMs, everyMs: 250 },
    );
  }

  /** Key rows coloured red (expired) and amber (≤ 7 days), and the colour each tone really gets. */
  async tones(): Promise<{ expired: number; soon: number; expiredColor: string | null; soonColor: string | null; plainColor: string | null }> {
    return this.page.$$eval('tr.key', (rows) => {
      const color = (selector: string) => {
        const row = rows.find((r) => r.matches(selector));
        return row ? getComputedStyle(row.querySelector('.key-days') ?? row).color : null;
      };
      return {
        expired: rows.filter((r) => r.classList.contains('tone-expired')).length,
        soon: rows.filter((r) => r.classList.contains('tone-soon')).length,
        expiredColor: color('.tone-expired'),
        soonColor: color('.tone-soon'),
        plainColor: color('.tone-later, .tone-never'),
      };
    });
  }

  async refresh(): Promise<void> {
    await this.page.getByTestId('refresh').click();
  }

  async exportAll(): Promise<string> {
    await this.page.getByTestId('export-all').click();
    const result = this.page.getByTestId('export-result');
    await result.waitFor();
    return (await result.textContent()) ?? '';
  }

  /** "Export with evidence": the same export as `export-all`, with the evidence file beside it. */
  async exportEvidence(): Promise<string> {
    await this.page.getByTestId('export-evidence').click();
    const result = this.page.getByTestId('export-result');
    await result.waitFor();
    return (await result.textContent()) ?? '';
  }

  /** The popup as the toolbar shows it: its own fixed-size box, not the whole tab. */
  async screenshot(path: string): Promise<void> {
    await this.page.locator('main.popup').screenshot({ path });
  }

  async waitForLocked(): Promise<void> {
    await this.page.getByTestId('unlock').waitFor();
  }

  async unlock(passphrase: string): Promise<void> {
    await this.page.getByTestId('unlock').locator('input[type="password"]').fill(passphrase);
    await this.page.getByTestId('unlock').getByRole('button', { name: 'Unlock' }).click();
  }
}
