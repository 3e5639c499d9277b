import { z } from 'zod';

// seed 003: .NET writes 7 fractional digits, which Date.parse is not required to read; the seed
// also says the times are UTC, so a missing offset means UTC. MDSS and Cloud share the habit.
// SPEC §1: a date alone (Cloud's `1970-01-01`) is midnight UTC.
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

/** A zod field for an optional vendor date: '' when absent, a field-named format error when not a date. */
export const vendorDate = z
  .string()
  .nullish()
  .transform((value, ctx) => {
    if (!value) return '';
    const iso = vendorDateToIso(value);
    if (iso !== undefined) return iso;
    // The value is not quoted: a broken reply may have shifted a key into a date field.
    ctx.issues.push({ code: 'custom', input: value, message: 'is not an ISO 8601 date' });
    return z.NEVER;
  });

