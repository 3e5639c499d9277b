import { browser } from 'wxt/browser';

// Chrome stops an idle service worker after 30 s; any extension API call resets that timer.
const PING_MS = 20_000;

let running = 0;
let timer: ReturnType<typeof setInterval> | undefined;

/** Keeps the worker awake while `work` runs (refreshes and exports can take minutes). */
export async function withKeepAlive<T>(work: () => Promise<T>): Promise<T> {
  if (running++ === 0)
    timer = setInterval(() => {
      browser.runtime.getPlatformInfo().catch(() => undefined);
    }, PING_MS);
  try {
    return await work();
  } finally {
    if (--running === 0) clearInterval(timer);
  }
}
