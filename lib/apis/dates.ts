import { z } from 'zod';

// seed 003: .NET writes 7 fractional digits, which Date.parse is not required to read; the seed
// also says the times are UTC, so a missing offset means UTC. MDSS and Cloud share the habit.
// A date alone (Cloud's `1970-01-01`) is midnight UTC.
const VENDOR_DATE = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** A vendor date as ISO 8601 UTC with milliseconds, or undefined when it is not a date. */
export function vendorDateToIso(text: string): string | undefined {
  const match = VENDOR_DATE.exec(text.trim());
  if (!match) return undefined;
  const [, day, minutes = '00:00', seconds = '00', fraction = '', zone = 'Z'] = match;
  const millis = fraction.padEnd(3, '0').slice(0, 3);
  const ms = Date.parse(`${day}T${minutes}:${seconds}.${millis}${zone.toUpperCase().replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')}`);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/**
 * A date field that could not be read. It costs its key that date (the row is kept and the engine
 * warns, naming the field and key), never the whole instance.
 */
export const UNREADABLE_DATE = Symbol('unreadable date');
/** ISO 8601 UTC, '' for none or never, or UNREADABLE_DATE. */
export type DateReading = string | typeof UNREADABLE_DATE;

/** Largest Date the ECMAScript time value allows. */
const MAX_EPOCH_MS = 8.64e15;
/**
 * Epoch seconds and milliseconds told apart by magnitude: 1e11 seconds is the year 5138, 1e11
 * milliseconds is March 1973, long before any of these products stored a key.
 */
const SECONDS_BELOW = 1e11;

/** An epoch number in seconds or milliseconds; 0 and negatives are none (seed 002: never). */
export function epochToIso(value: number): DateReading {
  if (!Number.isFinite(value)) return UNREADABLE_DATE;
  if (value <= 0) return '';
  const ms = value < SECONDS_BELOW ? value * 1000 : value;
  return ms <= MAX_EPOCH_MS ? new Date(ms).toISOString() : UNREADABLE_DATE;
}

// .NET's DateTime.MinValue, written for a date that was never set: never, not the year 1.
const DOTNET_MIN_VALUE = /^0001-01-01(?:[T ]00:00(?::00(?:\.0+)?)?)?(?:Z|[+-]00:?00)?$/i;

/** Any date form the vendors use: ISO text, epoch numbers (or digits), null; what is none of these is unreadable. */
export function readVendorDate(value: unknown): DateReading {
  if (value === null || value === undefined || value === '') return '';
  if (typeof value === 'number') return epochToIso(value);
  if (typeof value !== 'string') return UNREADABLE_DATE;
  const text = value.trim();
  if (DOTNET_MIN_VALUE.test(text)) return '';
  if (/^-?\d+(?:\.\d+)?$/.test(text)) return epochToIso(Number(text));
  return vendorDateToIso(text) ?? UNREADABLE_DATE;
}

/** A zod field for an optional vendor date: never a parse failure, so one bad date cannot cost the page. */
export const vendorDate = z.unknown().optional().transform(readVendorDate);

/** The date, or '' when it could not be read; then the ledger notes it, so the engine warns. */
export function settleDate(reading: DateReading, ledger: { unreadableDate(field: string, keyId: string): void }, field: string, keyId: string): string {
  if (reading !== UNREADABLE_DATE) return reading;
  ledger.unreadableDate(field, keyId);
  return '';
}
