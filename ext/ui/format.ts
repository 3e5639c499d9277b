import type { InstanceStatus } from '../../lib/messages';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "just now", "5 min ago", "3 h ago", "2 d ago"; the exact local time goes in a tooltip beside it. */
export function relativeTime(iso: string, now: number): string {
  const ago = now - Date.parse(iso);
  if (Number.isNaN(ago)) return 'unknown';
  if (ago < MINUTE) return 'just now';
  if (ago < HOUR) return `${Math.floor(ago / MINUTE)} min ago`;
  if (ago < DAY) return `${Math.floor(ago / HOUR)} h ago`;
  return `${Math.floor(ago / DAY)} d ago`;
}

/**
 * `2026-03-01 13:05` in local time. Built by hand: the first toLocaleString() loads ICU data and
 * alone costs ~30 ms, a third of the popup's 100 ms first-render budget (SPEC §7).
 */
export function localTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** 10000 → "10,000", without Intl for the same reason as localTime. */
export function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

const CREDENTIAL_LABELS: Record<NonNullable<InstanceStatus['credential']>, string> = {
  apiKey: 'saved credentials',
  session: 'console session',
  none: 'no credential',
};

export function credentialLabel(credential: InstanceStatus['credential']): string | undefined {
  return credential && CREDENTIAL_LABELS[credential];
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${grouped(count)} ${count === 1 ? one : many}`;
}

/** The text of a rejected promise: a failed `sendMessage` rejects with the background's error. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
