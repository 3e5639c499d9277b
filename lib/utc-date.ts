/** `YYYY-MM-DD` in UTC: the date in every file name KeyAtlas writes (SPEC §4, §5). */
export function utcDate(now: Date): string {
  return now.toISOString().slice(0, 10);
}
