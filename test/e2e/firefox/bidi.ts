import { WebSocket } from 'undici';

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void; method: string };
type BidiMessage =
  | { type: 'success'; id: number; result: unknown }
  | { type: 'error'; id: number | null; error: string; message: string }
  | { type: 'event'; method: string; params: unknown };

/**
 * The smallest WebDriver BiDi client Firefox needs here: commands by id, errors as exceptions.
 * Firefox speaks BiDi natively (no geckodriver), and only BiDi can install an unpacked add-on
 * (`webExtension.install`), which Playwright's Firefox does not offer.
 */
export class BidiConnection {
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<string, ((params: unknown) => void)[]>();

  private constructor(private readonly socket: WebSocket) {
    socket.addEventListener('message', (event) => this.receive(JSON.parse(String(event.data)) as BidiMessage));
    socket.addEventListener('close', () => {
      for (const { reject, method } of this.pending.values()) reject(new Error(`BiDi connection closed during ${method}`));
      this.pending.clear();
    });
  }

  static async connect(url: string): Promise<BidiConnection> {
    const socket = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      socket.addEventListener('open', () => resolve(), { once: true });
      socket.addEventListener('error', () => reject(new Error(`cannot connect to ${url}`)), { once: true });
    });
    return new BidiConnection(socket);
  }

  send<T = unknown>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = ++this.nextId;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, method });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  /** Hears an event; the caller subscribes to it with `session.subscribe`. */
  on<T>(method: string, listener: (params: T) => void): void {
    this.listeners.set(method, [...(this.listeners.get(method) ?? []), listener as (params: unknown) => void]);
  }

  close(): void {
    this.socket.close();
  }

  private receive(message: BidiMessage): void {
    if (message.type === 'event') {
      for (const listener of this.listeners.get(message.method) ?? []) listener(message.params);
      return;
    }
    const pending = message.id === null ? undefined : this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id!);
    if (message.type === 'success') pending.resolve(message.result);
    else pending.reject(new Error(`${pending.method}: ${message.error}: ${message.message}`));
  }
}
