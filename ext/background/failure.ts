import { ConfigError, type ConfigProblem } from '../../lib/config';

export interface Failure {
  ok: false;
  error: string;
  problems?: ConfigProblem[];
}

/**
 * A reply for a failed request, in plain words. Every error that reaches here is built by our own
 * code (LockedError, WrongPassphraseError, ConfigError, StoredDataError, InstanceError) from
 * redacted or value-free text, so no secret can ride along.
 */
export function failure(error: unknown): Failure {
  if (error instanceof ConfigError)
    return { ok: false, error: error.message, problems: error.problems };
  return { ok: false, error: error instanceof Error ? error.message : String(error) };
}

/** Runs a handler's work and turns any error into the plain-words reply the pages show. */
export async function settle<T>(work: () => Promise<T>): Promise<T | Failure> {
  try {
    return await work();
  } catch (error) {
    return failure(error);
  }
}
