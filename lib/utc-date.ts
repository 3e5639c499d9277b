/** `YYYY-MM-DD` in UTC: the date in the file names the extension saves (SPEC §5). */
export function utcDate(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** `YYYY-MM-DDTHHMMSSZ` in UTC: the CLI's default export name, unique per second and sorting by time; no colons, which Windows forbids in file names. */
export function utcTimestamp(now: Date): string {
  return now.toISOString().slice(0, 19).replace(/:/g, '') + 'Z';
}
