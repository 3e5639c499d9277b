/** `YYYY-MM-DD` in UTC: the date in the file names the extension saves (docs/contract.md#extension). */
export function utcDate(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** `YYYY-MM-DDTHHMMSSZ` in UTC: the CLI's default export name, unique per second and sorting by time; no colons, which Windows forbids in file names. */
export function utcTimestamp(now: Date): string {
  return now.toISOString().slice(0, 19).replace(/:/g, '') + 'Z';
}

const DAY_MS = 86_400_000;
/** 0000-01-01 and 9999-12-31's last millisecond: the years ISO text writes with four digits. */
const FOUR_DIGIT_YEARS = [-62_167_219_200_000, 253_402_300_799_999] as const;

/**
 * `new Date(ms).toISOString()`, written out here: V8's own takes microseconds a call, more than
 * reading the reply it came from, and an export writes two dates for each of 100,000 keys.
 * Outside four-digit years, or for a fraction of a millisecond, Date writes it.
 */
export function isoFromMs(ms: number): string {
  if (!(ms >= FOUR_DIGIT_YEARS[0] && ms <= FOUR_DIGIT_YEARS[1]) || !Number.isInteger(ms)) return new Date(ms).toISOString();
  const days = Math.floor(ms / DAY_MS);
  let rest = ms - days * DAY_MS;
  // The proleptic Gregorian date of a day number (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms").
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const hour = Math.floor(rest / 3_600_000);
  rest -= hour * 3_600_000;
  const minute = Math.floor(rest / 60_000);
  rest -= minute * 60_000;
  const second = Math.floor(rest / 1000);
  const millis = rest - second * 1000;
  // One flat string from its character codes: a template of fourteen parts leaves a tree of
  // partial strings for the collector, and is flattened again when first read.
  const century = Math.floor(year / 100);
  const hundredths = Math.floor(millis / 10);
  return String.fromCharCode(
    tens(century), ones(century), tens(year % 100), ones(year % 100), DASH, tens(month), ones(month), DASH, tens(day), ones(day),
    T, tens(hour), ones(hour), COLON, tens(minute), ones(minute), COLON, tens(second), ones(second),
    DOT, tens(hundredths), ones(hundredths), ones(millis), Z,
  );
}

const [ZERO, DASH, T, COLON, DOT, Z] = [...'0-T:.Z'].map((c) => c.charCodeAt(0)) as [number, number, number, number, number, number];
const tens = (n: number) => ZERO + Math.floor(n / 10);
const ones = (n: number) => ZERO + (n % 10);

/** The digit at `i`, NaN for anything else (NaN then fails every range check). */
export const digit = (text: string, i: number) => {
  const d = text.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : NaN;
};
/** The number written by the digits at [from, to); NaN when one is not a digit. */
export const digits = (text: string, from: number, to: number) => {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + digit(text, i);
  return n;
};

/**
 * `Date.parse(text)`, read digit by digit when the text is what isoFromMs writes (ranges checked as
 * Date.parse checks them; it, too, rolls 31 February over); anything else goes to Date.parse.
 */
export function msFromIso(text: string): number {
  if (text.length === 24 && text[4] === '-' && text[7] === '-' && text[10] === 'T' && text[13] === ':' && text[16] === ':' && text[19] === '.' && text[23] === 'Z') {
    const month = digits(text, 5, 7);
    const day = digits(text, 8, 10);
    const hour = digits(text, 11, 13);
    const minute = digits(text, 14, 16);
    const second = digits(text, 17, 19);
    const year = digits(text, 0, 4);
    const millis = digits(text, 20, 23);
    // NaN (a non-digit) fails every comparison.
    if (year >= 100 && month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59 && second <= 59 && millis >= 0)
      return utcMs(year, month, day, hour, minute, second, millis);
  }
  return Date.parse(text);
}

/**
 * `Date.UTC(year, month - 1, …)` for years 100 to 9999 with fields in range, a day past the month's
 * end rolled over as Date.UTC rolls it: the day number by arithmetic (Hinnant's inverse of the one
 * in isoFromMs), a quarter of the builtin's cost, which two dates a key pay twice each.
 */
export function utcMs(year: number, month: number, day: number, hour: number, minute: number, second: number, millis: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const days = era * 146_097 + yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear - 719_468;
  return days * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000 + millis;
}
