import { z } from 'zod';
import { digit, digits, utcMs } from '../utc-date';

// docs/contract.md#metadefender-vault: .NET writes 7 fractional digits, which Date.parse is not required to read; the docs
// also says the times are UTC, so a missing offset means UTC. MDSS and Cloud share the habit.
// A date alone (Cloud's `1970-01-01`) is midnight UTC.
const VENDOR_DATE = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** A vendor date as an instant (ms since the epoch, UTC), or undefined when it is not a date. */
export function vendorDateToInstant(text: string): number | undefined {
  return plainVendorDate(text) ?? vendorDateByPattern(text);
}

/** vendorDateToInstant by its pattern and Date.parse: the definition plainVendorDate must agree with. */
export function vendorDateByPattern(text: string): number | undefined {
  const match = VENDOR_DATE.exec(text.trim());
  if (!match) return undefined;
  const [, day, minutes = '00:00', seconds = '00', fraction = '', zone = 'Z'] = match;
  const millis = fraction.padEnd(3, '0').slice(0, 3);
  const ms = Date.parse(`${day}T${minutes}:${seconds}.${millis}${zone.toUpperCase().replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')}`);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * A date field that could not be read. It costs its key that date (the row is kept and the engine
 * warns, naming the field and key), never the whole instance.
 */
export const UNREADABLE_DATE = Symbol('unreadable date');
/**
 * An instant (ms since the epoch, UTC, whole), '' for none or never, or UNREADABLE_DATE. Instants,
 * not ISO text: finishRecord writes the text once and works out days left and age from the number,
 * where reading back text it had just written cost as much as writing it (docs/benchmarks.md#budgets).
 */
export type DateReading = number | '' | typeof UNREADABLE_DATE;

/** Largest Date the ECMAScript time value allows. */
const MAX_EPOCH_MS = 8.64e15;
/**
 * Epoch seconds and milliseconds told apart by magnitude: 1e11 seconds is the year 5138, 1e11
 * milliseconds is March 1973, long before any of these products stored a key.
 */
const SECONDS_BELOW = 1e11;

/** An epoch number in seconds or milliseconds; 0 and negatives are none (docs/contract.md#cortex-xsoar-xsiam-and-xdr: never). */
export function epochToInstant(value: number): DateReading {
  if (!Number.isFinite(value)) return UNREADABLE_DATE;
  if (value <= 0) return '';
  const ms = value < SECONDS_BELOW ? value * 1000 : value;
  // A fraction of a millisecond is dropped, as a Date drops it.
  return ms <= MAX_EPOCH_MS ? Math.trunc(ms) : UNREADABLE_DATE;
}

// .NET's DateTime.MinValue, written for a date that was never set: never, not the year 1.
const DOTNET_MIN_VALUE = /^0001-01-01(?:[T ]00:00(?::00(?:\.0+)?)?)?(?:Z|[+-]00:?00)?$/i;

/** Any date form the vendors use: ISO text, epoch numbers (or digits), null; what is none of these is unreadable. */
export function readVendorDate(value: unknown): DateReading {
  if (value === null || value === undefined || value === '') return '';
  if (typeof value === 'number') return epochToInstant(value);
  if (typeof value !== 'string') return UNREADABLE_DATE;
  const text = value.trim();
  if (DOTNET_MIN_VALUE.test(text)) return '';
  if (/^-?\d+(?:\.\d+)?$/.test(text)) return epochToInstant(Number(text));
  return vendorDateToInstant(text) ?? UNREADABLE_DATE;
}

/** A zod field for an optional vendor date: never a parse failure, so one bad date cannot cost the page. */
export const vendorDate = z.unknown().optional().transform(readVendorDate);

/** The instant, or '' for none or when it could not be read; then the ledger notes it, so the engine warns. */
export function settleDate(reading: DateReading, ledger: { unreadableDate(field: string, keyId: string): void }, field: string, keyId: string): number | '' {
  if (reading !== UNREADABLE_DATE) return reading;
  ledger.unreadableDate(field, keyId);
  return '';
}

const twoDigits = (text: string, i: number) => digits(text, i, i + 2);

/**
 * The dates vendors actually write (`2026-03-01T12:00:00.0000000Z`, `…+02:00`, a date alone), read
 * digit by digit into utcMs: a few hundred thousand of them in an export, where the pattern,
 * the string rebuilt for Date.parse and Date.parse itself cost more than the JSON they came in.
 * Undefined for anything else (spaces around, years before 1000, 24:00, a field out of range),
 * which vendorDateByPattern then decides; 31 February rolls over as Date.parse rolls it.
 */
function plainVendorDate(text: string): number | undefined {
  const n = text.length;
  const year = digits(text, 0, 4);
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  if (n < 10 || text[4] !== '-' || text[7] !== '-' || !(year >= 1000) || !(month >= 1 && month <= 12) || !(day >= 1 && day <= 31)) return undefined;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let millis = 0;
  let offsetMinutes = 0;
  let i = 10;
  if (n > 10) {
    const t = text[10];
    if ((t !== 'T' && t !== 't' && t !== ' ') || n < 16 || text[13] !== ':') return undefined;
    hour = twoDigits(text, 11);
    minute = twoDigits(text, 14);
    if (!(hour <= 23 && minute <= 59)) return undefined;
    i = 16;
    if (text[i] === ':') {
      second = twoDigits(text, i + 1);
      if (!(second <= 59)) return undefined;
      i += 3;
      if (text[i] === '.') {
        const start = ++i;
        while (i < n && digit(text, i) >= 0) i++;
        if (i === start) return undefined;
        // Milliseconds are the first three digits; the rest (.NET writes seven) are dropped, as by the pattern.
        millis = digit(text, start) * 100 + (i > start + 1 ? digit(text, start + 1) * 10 : 0) + (i > start + 2 ? digit(text, start + 2) : 0);
      }
    }
    if (i < n) {
      const zone = text[i];
      if (zone === 'Z' || zone === 'z') i++;
      else if (zone === '+' || zone === '-') {
        const colon = text[i + 3] === ':' ? 1 : 0;
        const hours = twoDigits(text, i + 1);
        const minutes = twoDigits(text, i + 3 + colon);
        if (!(hours <= 23 && minutes <= 59)) return undefined;
        offsetMinutes = (zone === '+' ? 1 : -1) * (hours * 60 + minutes);
        i += 5 + colon;
      } else return undefined;
    }
  }
  if (i !== n) return undefined;
  return utcMs(year, month, day, hour, minute, second, millis) - offsetMinutes * 60_000;
}
