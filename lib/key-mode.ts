import { z } from 'zod';

/** What an export writes in the key column: the secret masked, in full, or left empty. */
export const keyModeSchema = z.enum(['masked', 'full', 'omit']);
export type KeyMode = z.infer<typeof keyModeSchema>;
