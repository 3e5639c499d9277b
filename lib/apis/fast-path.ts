// Helpers for the adapters' hand-written readings of well-formed replies (RequestSpec.fast in
// http.ts): each checks exactly what the matching zod type checks.

/** A JSON object (z.object's input): not null, not an array. */
export const isJsonObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** What `z.string().nullish()` accepts. */
export const isTextOrNone = (value: unknown): value is string | null | undefined => value === undefined || value === null || typeof value === 'string';

/** What `z.union([z.number(), z.string().min(1)]).transform(String)` makes of a key id; undefined where it would refuse (or JSON cannot say). */
export function keyIdText(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
