import type { Browser, CDPSession } from 'playwright-core';

/**
 * A DevTools session on the extension's service worker. Playwright opens CDP sessions on pages and
 * frames only, so this attaches through the browser session and speaks to the worker with
 * `Target.sendMessageToTarget` (the non-flattened protocol, which needs no session id per call).
 */
export class WorkerSession {
  private next = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

  private constructor(
    private readonly browserSession: CDPSession,
    private readonly sessionId: string,
  ) {
    browserSession.on('Target.receivedMessageFromTarget', (event: { sessionId: string; message: string }) => {
      if (event.sessionId !== sessionId) return;
      const reply = JSON.parse(event.message) as { id?: number; result?: unknown; error?: { message: string } };
      const waiting = reply.id === undefined ? undefined : this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id!);
      if (reply.error) waiting.reject(new Error(`worker CDP: ${reply.error.message}`));
      else waiting.resolve(reply.result);
    });
  }

  /** Attaches to the running service worker whose script URL starts with `urlPrefix`. */
  static async attach(browser: Browser, urlPrefix: string): Promise<WorkerSession> {
    const browserSession = await browser.newBrowserCDPSession();
    const { targetInfos } = (await browserSession.send('Target.getTargets')) as { targetInfos: { targetId: string; type: string; url: string }[] };
    const target = targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith(urlPrefix));
    if (!target) throw new Error(`no service worker under ${urlPrefix} is running`);
    const { sessionId } = (await browserSession.send('Target.attachToTarget', { targetId: target.targetId, flatten: false })) as { sessionId: string };
    return new WorkerSession(browserSession, sessionId);
  }

  send<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.next++;
    const answered = new Promise<T>((resolve, reject) => this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject }));
    void this.browserSession.send('Target.sendMessageToTarget', { sessionId: this.sessionId, message: JSON.stringify({ id, method, params }) });
    return answered;
  }

  /** V8's used and committed heap of the worker, in bytes. */
  heap(): Promise<{ usedSize: number; totalSize: number }> {
    return this.send('Runtime.getHeapUsage');
  }

  async detach(): Promise<void> {
    await this.browserSession.detach().catch(() => undefined);
  }
}

/** Samples the worker's heap every `everyMs` until stopped; the peak is what a collection can hide between two reads at most. */
export function sampleHeap(worker: WorkerSession, everyMs = 25): { stop(): Promise<{ peakUsed: number; peakTotal: number; samples: number }> } {
  let peakUsed = 0;
  let peakTotal = 0;
  let samples = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const heap = await worker.heap();
      peakUsed = Math.max(peakUsed, heap.usedSize);
      peakTotal = Math.max(peakTotal, heap.totalSize);
      samples++;
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { peakUsed, peakTotal, samples };
    },
  };
}
