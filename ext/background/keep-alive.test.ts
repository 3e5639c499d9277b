import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { withKeepAlive } from './keep-alive';

describe('withKeepAlive', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('pings an extension API every 20 s while work runs, and stops after', async () => {
    const ping = vi.spyOn(fakeBrowser.runtime, 'getPlatformInfo').mockResolvedValue({ os: 'linux', arch: 'x86-64' } as never);
    let finish!: (value: string) => void;
    const outer = withKeepAlive(() => new Promise<string>((resolve) => (finish = resolve)));
    // Nested work (an export during a refresh) shares the one timer.
    const inner = withKeepAlive(async () => 'inner');
    expect(await inner).toBe('inner');

    await vi.advanceTimersByTimeAsync(60_000);
    expect(ping).toHaveBeenCalledTimes(3);

    finish('done');
    expect(await outer).toBe('done');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(ping).toHaveBeenCalledTimes(3);
  });

  it('stops pinging when the work fails, and passes the failure on', async () => {
    const ping = vi.spyOn(fakeBrowser.runtime, 'getPlatformInfo').mockRejectedValue(new Error('context invalidated'));
    await expect(withKeepAlive(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(ping).not.toHaveBeenCalled();
  });
});
