// Shared by the popup and the background's schema (lib/messages.ts), without zod: the popup's
// bundle must not carry it (docs/benchmarks.md#budgets: popup JS ≤ 20 kB gzip, first render ≤ 100 ms).

/** The popup's day filters: keys expiring within N days (expired ones always count), or every key. */
export const KEY_WINDOWS = [7, 30, 60, 90, 'all'] as const;
export type KeyWindow = (typeof KEY_WINDOWS)[number];

/** Timeline weeks after the "expired" bar (docs/contract.md#ahead-of-expiry). */
export const TIMELINE_WEEKS = 12;
