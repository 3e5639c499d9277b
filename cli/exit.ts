/** docs/contract.md#exit-codes. A crash uses EX_SOFTWARE (sysexits.h) so no script mistakes it for a result. */
export const EXIT = { ok: 0, instanceFailed: 1, usage: 2, expiring: 3, crash: 70 } as const;

/** 2 (usage/config) is returned before any request, so here: 1 > 3 > 0. `expiring`: a --fail-on-expiring or --fail-on-older-than gate matched. */
export function inventoryExitCode({ failed, expiring }: { failed: boolean; expiring: boolean }): number {
  if (failed) return EXIT.instanceFailed;
  if (expiring) return EXIT.expiring;
  return EXIT.ok;
}

/** One line for an unexpected error: no stack, so nothing beyond the (already redacted) message reaches a terminal or a cron mail. */
export function crashLine(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return `keyatlas: unexpected error (a bug; please report it): ${text.split('\n', 1)[0]}\n`;
}

const CLOSED_PIPE = new Set(['EPIPE', 'ERR_STREAM_DESTROYED']);

/**
 * Process-wide guards for the installed command: a reader that stops early (`--out - | head`)
 * ends output silently instead of with a stack trace, and anything that escapes main() is one
 * line and EXIT.crash.
 */
export function installProcessGuards(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (!CLOSED_PIPE.has(error.code ?? '')) crash(error);
  });
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
}

function crash(error: unknown): never {
  process.stderr.write(crashLine(error));
  process.exit(EXIT.crash);
}
