import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

export interface MockRequest {
  method: string;
  /** Path with query, as sent. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface MockReply {
  status?: number;
  headers?: Record<string, string>;
  json?: unknown;
  text?: string;
}

/** Switchable faults (docs/contract.md#faults-and-retries), applied before the vendor's own routing. */
export type Fault =
  | { kind: 'status'; status: number; json?: unknown; headers?: Record<string, string> }
  | { kind: 'delay'; ms: number }
  | { kind: 'malformed' }
  | { kind: 'html-login' }
  | { kind: 'reset' }
  | { kind: 'hang' };

interface ArmedFault {
  fault: Fault;
  path?: RegExp;
  remaining: number;
}

/** A route answers the requests it knows and returns undefined for the rest (then the next route, then 404). */
export type Route = (req: MockRequest, server: MockServer) => MockReply | undefined | Promise<MockReply | undefined>;

export interface MockOptions {
  /** Injected latency per request (benchmarks, concurrency tests). */
  latencyMs?: number;
  /** HTTPS with this key/cert (TLS failure tests). */
  tls?: { key: string; cert: string };
  port?: number;
}

export class MockServer {
  url = '';
  readonly requests: MockRequest[] = [];
  latencyMs: number;
  inFlight = 0;
  maxInFlight = 0;
  /** Further routes tried after the vendor's own, e.g. the console web pages served on the same origin. */
  readonly extraRoutes: Route[] = [];
  private faults: ArmedFault[] = [];
  private readonly sockets = new Set<Socket>();
  private server: ReturnType<typeof createHttpServer> | undefined;

  constructor(
    readonly name: string,
    private readonly route: Route,
    private readonly options: MockOptions = {},
  ) {
    this.latencyMs = options.latencyMs ?? 0;
  }

  /** Arms a fault for the next `times` matching requests (default: every request until cleared). */
  fault(fault: Fault, { path, times = Infinity }: { path?: RegExp; times?: number } = {}): this {
    this.faults.push({ fault, path, remaining: times });
    return this;
  }

  clearFaults(): void {
    this.faults = [];
  }

  resetStats(): void {
    this.requests.length = 0;
    this.maxInFlight = 0;
  }

  async start(): Promise<this> {
    const handler = (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res);
    this.server = this.options.tls ? createHttpsServer(this.options.tls, handler) : createHttpServer(handler);
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(this.options.port ?? 0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `${this.options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      // Inside the try: a client that aborts its upload must not become an unhandled rejection.
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const request: MockRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      this.requests.push(request);
      if (this.latencyMs) await sleep(this.latencyMs);
      const armed = this.faults.find((f) => f.remaining > 0 && (!f.path || f.path.test(request.path)));
      if (armed) {
        armed.remaining--;
        const done = await this.applyFault(armed.fault, res);
        if (done) return;
      }
      for (const route of [this.route, ...this.extraRoutes]) {
        const reply = await route(request, this);
        if (reply) return send(res, reply);
      }
      send(res, { status: 404, text: 'Not found' });
    } catch (error) {
      send(res, { status: 500, json: { mockError: String(error) } });
    } finally {
      this.inFlight--;
    }
  }

  /** Returns true when the fault produced the whole response. */
  private async applyFault(fault: Fault, res: ServerResponse): Promise<boolean> {
    switch (fault.kind) {
      case 'delay':
        await sleep(fault.ms);
        return false;
      case 'status':
        send(res, { status: fault.status, json: fault.json ?? {}, headers: fault.headers });
        return true;
      case 'malformed':
        send(res, { status: 200, text: '{"items": [{"token_id": 1, "tok', headers: { 'content-type': 'application/json' } });
        return true;
      case 'html-login':
        send(res, { status: 200, text: LOGIN_PAGE, headers: { 'content-type': 'text/html; charset=utf-8' } });
        return true;
      case 'reset':
        res.socket?.destroy();
        return true;
      case 'hang':
        await new Promise<void>((resolve) => res.on('close', resolve));
        return true;
    }
  }
}

const LOGIN_PAGE = '<!DOCTYPE html><html><head><title>Sign in</title></head><body><form method="post" action="/login"><input name="user"><input name="password" type="password"><button>Sign in</button></form></body></html>';

function send(res: ServerResponse, reply: MockReply): void {
  if (res.headersSent || res.destroyed) return;
  const body = reply.json !== undefined ? JSON.stringify(reply.json) : (reply.text ?? '');
  res.writeHead(reply.status ?? 200, {
    'content-type': reply.json !== undefined ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8',
    ...reply.headers,
  });
  res.end(body);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startMock(name: string, route: Route, options?: MockOptions): Promise<MockServer> {
  return new MockServer(name, route, options).start();
}

/** `/a/b?x=1` → ['a', 'b'] */
export function pathParts(path: string): string[] {
  return path.split('?')[0]!.split('/').filter(Boolean);
}

export function header(req: MockRequest, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
