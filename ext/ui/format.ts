import type { Coverage } from '../../lib/coverage';
import type { InstanceStatus } from '../../lib/messages';
import { formatNumber, t, uiLanguage, type MessageKey } from '../i18n';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// Made once, at first use: building an Intl formatter loads locale data (docs/benchmarks.md#budgets).
let relative: Intl.RelativeTimeFormat | undefined;
let dateTimes: Intl.DateTimeFormat | undefined;
let days: Intl.DateTimeFormat | undefined;

/** "just now", "5 minutes ago", "vor 3 Stunden", "yesterday" in the UI language; the exact time goes in a tooltip beside it. */
export function relativeTime(iso: string, now: number): string {
  const ago = now - Date.parse(iso);
  if (Number.isNaN(ago)) return t('popup_time_unknown');
  if (ago < MINUTE) return t('popup_time_justNow');
  relative ??= new Intl.RelativeTimeFormat(uiLanguage(), { numeric: 'auto' });
  if (ago < HOUR) return relative.format(-Math.floor(ago / MINUTE), 'minute');
  if (ago < DAY) return relative.format(-Math.floor(ago / HOUR), 'hour');
  return relative.format(-Math.floor(ago / DAY), 'day');
}

/** Date and time in the UI language's own format (`1 Mar 2026, 13:05`, `01.03.2026, 13:05`), local time. */
export function localTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return (dateTimes ??= new Intl.DateTimeFormat(uiLanguage(), { dateStyle: 'medium', timeStyle: 'short' })).format(d);
}

/** A short day (`Mar 1`, `1. März`) in the UI language. */
export function shortDay(ms: number): string {
  return (days ??= new Intl.DateTimeFormat(uiLanguage(), { month: 'short', day: 'numeric' })).format(ms);
}

/** 10000 → "10,000" (English) or "10.000" (German). */
export const grouped = formatNumber;

const CREDENTIAL_LABELS: Record<NonNullable<InstanceStatus['credential']>, MessageKey> = {
  apiKey: 'popup_credential_apiKey',
  session: 'popup_credential_session',
  none: 'popup_credential_none',
};

export function credentialLabel(credential: InstanceStatus['credential']): string | undefined {
  return credential && t(CREDENTIAL_LABELS[credential]);
}

const COVERAGE_LABELS: Record<Coverage, MessageKey> = {
  'all users': 'coverage_allUsers',
  tenant: 'coverage_tenant',
  'own + system-level tokens': 'coverage_ownSystem',
  'own key': 'coverage_ownKey',
  'this key': 'coverage_thisKey',
};

/** A coverage (lib/coverage.ts, English as the CLI and the evidence file write it) in the UI language. */
export function coverageLabel(coverage: Coverage): string {
  return t(COVERAGE_LABELS[coverage]);
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${grouped(count)} ${count === 1 ? one : many}`;
}

/** The text of a rejected promise: a failed `sendMessage` rejects with the background's error. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
