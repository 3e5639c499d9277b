import { z } from 'zod';
import { VENDOR_IDS } from './vendors';

/**
 * The narrow protocol a console content script may speak (SPEC §5). The instance is never named in
 * the payload: the background derives it from the sender tab's origin. Replies carry counts and
 * file names only — never credentials or key values.
 */
export const consoleRequestSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('console:info') }).strict(),
  z.object({ type: z.literal('console:export') }).strict(),
]);
export type ConsoleRequest = z.infer<typeof consoleRequestSchema>;

export const credentialUsedSchema = z.enum(['apiKey', 'session', 'none']);

export const consoleInfoReplySchema = z.object({
  /** The configured instance this origin belongs to, or null. */
  instance: z.string().nullable(),
  vendor: z.enum(VENDOR_IDS).nullable(),
  /** Which credential an export would use now. */
  credential: credentialUsedSchema,
  /** Plain-words reason when no export is possible (e.g. XSOAR console session cannot call the public API). */
  note: z.string().optional(),
});
export type ConsoleInfoReply = z.infer<typeof consoleInfoReplySchema>;

export const consoleExportReplySchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), rows: z.number().int(), fileName: z.string(), credential: credentialUsedSchema }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);
export type ConsoleExportReply = z.infer<typeof consoleExportReplySchema>;

/** Pushed by the background to the tab while its export runs. */
export const consoleProgressSchema = z.object({
  type: z.literal('console:progress'),
  read: z.number().int(),
  total: z.number().int().optional(),
});
export type ConsoleProgress = z.infer<typeof consoleProgressSchema>;
