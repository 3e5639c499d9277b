/**
 * Polls `check` until it returns something truthy, or fails after `timeoutMs` naming what it
 * waited for and the last value seen. A deadline-bound condition, never a fixed sleep.
 */
export async function until<T>(check: () => T | Promise<T>, what: string, { timeoutMs = 30_000, everyMs = 100 } = {}): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what} (last: ${describe(last)})`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

function describe(value: unknown): string {
  if (value instanceof Error) return value.message.split('\n')[0]!;
  try {
    return JSON.stringify(value)?.slice(0, 300) ?? String(value);
  } catch {
    return String(value);
  }
}
