/**
 * An instance's outcome as the CLI summary, the evidence file and the popup name it
 * (docs/completeness.md). No schema code: the popup derives it too.
 */
export const OUTCOMES = ['ok', 'ok with warnings', 'incomplete', 'failed'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** `errorKind`: the failure kind when the read failed (`incomplete`, `auth`, …), undefined when it was read. */
export function outcomeOf(errorKind: string | undefined, warnings: readonly unknown[]): Outcome {
  if (errorKind !== undefined) return errorKind === 'incomplete' ? 'incomplete' : 'failed';
  return warnings.length ? 'ok with warnings' : 'ok';
}
