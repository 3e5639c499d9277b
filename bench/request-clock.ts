import type { FetchLike } from '../lib/apis/http';

// Statuses whose Response may not carry a body, even an empty one (Fetch standard).
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * A fetch that notes when the first request left and the last response body was fully read, so a
 * run is timed "from first request to last response" (docs/benchmarks.md#budgets) without process start-up or set-up.
 * Wrap it around the real fetch through InventoryOptions.fetchFor.
 */
export class RequestClock {
  first = Infinity;
  last = -Infinity;
  requests = 0;
  /** Requests sent and not yet answered with their body read: now, and the most at once. */
  inFlight = 0;
  maxInFlight = 0;
  /** Requests by method and path, positions written `#` (`GET /vault_rest/tokens/#/#`): what two readers' counts differ by. */
  readonly byRoute = new Map<string, number>();
  /** Bodies by URL, when recording (the paging benchmark replays them to time parsing alone). */
  readonly bodies = new Map<string, string>();

  constructor(
    private readonly inner: FetchLike = (input, init) => globalThis.fetch(input, init),
    private readonly record = false,
  ) {}

  readonly fetch: FetchLike = async (input, init) => {
    const start = performance.now();
    if (start < this.first) this.first = start;
    this.requests++;
    const route = `${init.method ?? 'GET'} ${new URL(input).pathname.replace(/\d+/g, '#')}`;
    this.byRoute.set(route, (this.byRoute.get(route) ?? 0) + 1);
    this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
    try {
      const response = await this.inner(input, init);
      if (response.type === 'opaqueredirect') return this.stop(response);
      const body = await response.text();
      if (this.record) this.bodies.set(input, body);
      return this.stop(
        new Response(NULL_BODY.has(response.status) ? null : body, { status: response.status, statusText: response.statusText, headers: response.headers }),
      );
    } finally {
      this.inFlight--;
    }
  };

  get spanMs(): number {
    return this.requests ? this.last - this.first : 0;
  }

  private stop(response: Response): Response {
    const end = performance.now();
    if (end > this.last) this.last = end;
    return response;
  }
}

/** Serves recorded bodies at once: what is left of a run is the client's own work (JSON, zod, records). */
export function replayFetch(bodies: ReadonlyMap<string, string>): FetchLike {
  return async (input) => {
    const body = bodies.get(input);
    if (body === undefined) throw new Error(`replay: nothing recorded for ${input}`);
    return new Response(body, { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' } });
  };
}
