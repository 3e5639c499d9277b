import { z } from 'zod';

/** docs/contract.md#secrets-at-rest idle auto-lock choices, in minutes; 0 is off. */
export const AUTO_LOCK_MINUTES = [0, 15, 60, 240] as const;
export type AutoLockMinutes = (typeof AUTO_LOCK_MINUTES)[number];

export const autoLockMinutesSchema = z.union(AUTO_LOCK_MINUTES.map((m) => z.literal(m)) as [z.ZodLiteral<0>, z.ZodLiteral<15>, z.ZodLiteral<60>, z.ZodLiteral<240>]);

/** Whether an unlocked store has been left alone for longer than the chosen idle time. */
export function idleTooLong(minutes: AutoLockMinutes, lastActivity: number, now: number): boolean {
  return minutes > 0 && now - lastActivity >= minutes * 60_000;
}
