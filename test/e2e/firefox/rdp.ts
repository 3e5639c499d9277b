import { connect, createServer, type Socket } from 'node:net';

/** A reply carries no `type`; an event (sent unasked, e.g. `resources-available-array`) is named by its `type`. */
type Packet = { from: string; type?: string; error?: string; message?: string; [key: string]: unknown };
type Waiting = { resolve: (packet: Packet) => void; reject: (error: Error) => void };

/**
 * Firefox's own remote debugging protocol (what about:debugging speaks), for what BiDi in Firefox
 * 140 ESR cannot do: stop an add-on's event page, and hear the add-on's own documents. BiDi's
 * chrome scope (`moz:scope: "chrome"`) is ignored before Firefox 14x, so a chrome-privileged script
 * there ran in a web tab ("ChromeUtils is not defined"). Packets are `<length>:<JSON>`; each actor
 * answers its requests in order, and events may arrive between a request and its reply.
 */
export class RdpConnection {
  private buffer = Buffer.alloc(0);
  private readonly waiting = new Map<string, Waiting[]>();
  private readonly listeners: ((event: Packet) => void)[] = [];
  private closed: Error | undefined;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    // Firefox going away (the end of a test run) must fail what waits, not crash the test process.
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error('the debugger connection closed')));
  }

  static async connect(port: number): Promise<RdpConnection> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const rdp = new RdpConnection(socket);
    await rdp.replyFrom('root'); // the root actor's greeting
    return rdp;
  }

  /** Sends `{ to, type, ...args }` and resolves with that actor's reply. */
  async request(to: string, type: string, args: Record<string, unknown> = {}): Promise<Packet> {
    const reply = this.replyFrom(to);
    const body = Buffer.from(JSON.stringify({ ...args, to, type }));
    this.socket.write(Buffer.concat([Buffer.from(`${body.length}:`), body]));
    const packet = await reply;
    if (packet.error) throw new Error(`${to} ${type}: ${packet.error}: ${packet.message ?? ''}`);
    return packet;
  }

  onEvent(listener: (event: Packet) => void): void {
    this.listeners.push(listener);
  }

  close(): void {
    this.socket.destroy();
  }

  private replyFrom(actor: string): Promise<Packet> {
    if (this.closed) return Promise.reject(this.closed);
    return new Promise((resolve, reject) => this.waiting.set(actor, [...(this.waiting.get(actor) ?? []), { resolve, reject }]));
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const colon = this.buffer.indexOf(':');
      if (colon < 0) return;
      const length = Number(this.buffer.subarray(0, colon).toString());
      if (this.buffer.length < colon + 1 + length) return;
      const packet = JSON.parse(this.buffer.subarray(colon + 1, colon + 1 + length).toString()) as Packet;
      this.buffer = this.buffer.subarray(colon + 1 + length);
      if (packet.type === undefined) this.waiting.get(packet.from)?.shift()?.resolve(packet);
      else for (const listener of this.listeners) listener(packet);
    }
  }

  private fail(error: Error): void {
    this.closed ??= error;
    for (const queue of this.waiting.values()) for (const { reject } of queue.splice(0)) reject(error);
  }
}

/** A TCP port nobody listens on right now, for Firefox's `--start-debugger-server`. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A string, or a long one the server sends as a grip holding its start. */
type StringGrip = string | { type: 'longString'; initial: string };
/** A console API call's argument: a primitive, or a grip naming an object (its class, and for errors a preview). */
type ValueGrip = string | number | boolean | null | { type: string; class?: string; initial?: string; preview?: { message?: StringGrip; name?: string } };
type ConsoleMessage = { level: string; filename: string; lineNumber: number; arguments: ValueGrip[] };
type PageError = { error: boolean; category: string; sourceName: string; lineNumber: number; errorMessage: StringGrip };
type Resources = [type: 'console-message', resources: ConsoleMessage[]] | [type: 'error-message', resources: { pageError: PageError }[]];
const RESOURCE_TYPES: Resources[0][] = ['console-message', 'error-message'];

/**
 * The add-on as about:debugging's "Inspect" sees it: its descriptor (from `root.listAddons`) gives a
 * watcher over every document of the add-on (event page, popup, options — as a tab too), present
 * and future. The watcher's frame targets send the console API calls (`console-message`) and the
 * script errors (`error-message`: uncaught exceptions, unhandled rejections, CSP violations) of
 * their document, those logged before the watcher attached included.
 */
export class AddonDebugger {
  private constructor(
    private readonly rdp: RdpConnection,
    private readonly descriptor: string,
    private readonly watcher: string,
  ) {}

  /** Attaches to the add-on `extensionId`; `onError` hears each console error and script error from then on. */
  static async attach(port: number, extensionId: string, onError: (text: string) => void): Promise<AddonDebugger> {
    const rdp = await RdpConnection.connect(port);
    try {
      const { addons } = (await rdp.request('root', 'listAddons')) as unknown as { addons: { id: string; actor: string }[] };
      const addon = addons.find((a) => a.id === extensionId);
      if (!addon) throw new Error(`the debugger does not list ${extensionId}`);
      // The document each target stands for: a message's own location is where the logging code
      // runs, which for a call into another document (the event page's console from the popup) is not it.
      const targetUrls = new Map<string, string>();
      rdp.onEvent((event) => {
        if (event.type === 'target-available-form') {
          const { actor, url } = event.target as { actor: string; url: string };
          targetUrls.set(actor, url);
        }
        if (event.type !== 'resources-available-array') return;
        const where = targetUrls.get(event.from) ?? event.from;
        for (const [type, resources] of event.array as Resources[]) {
          if (type === 'console-message') {
            for (const m of resources) if (m.level === 'error') onError(`${where} (${m.filename}:${m.lineNumber}): console.error ${m.arguments.map(describeValue).join(' ')}`);
          } else {
            for (const { pageError: e } of resources) if (e.error) onError(`${where} (${e.sourceName}:${e.lineNumber}): [${e.category}] ${text(e.errorMessage)}`);
          }
        }
      });
      const { actor: watcher } = (await rdp.request(addon.actor, 'getWatcher')) as unknown as { actor: string };
      await rdp.request(watcher, 'watchTargets', { targetType: 'frame' });
      await rdp.request(watcher, 'watchResources', { resourceTypes: RESOURCE_TYPES });
      return new AddonDebugger(rdp, addon.actor, watcher);
    } catch (error) {
      rdp.close();
      throw error;
    }
  }

  /**
   * Resolves once every document has sent what it logged so far: a target holds its messages up to
   * 100 ms before sending them, and asking to watch what is already watched sends them before the
   * reply. (A CSP violation is logged by a task of its own, which may run after that.)
   */
  async flush(): Promise<void> {
    await this.rdp.request(this.watcher, 'watchResources', { resourceTypes: RESOURCE_TYPES });
  }

  /** Stops the add-on's event page as about:debugging's "Terminate background script" does. */
  async terminateBackground(): Promise<void> {
    await this.rdp.request(this.descriptor, 'terminateBackgroundScript');
  }

  close(): void {
    this.rdp.close();
  }
}

function text(value: StringGrip): string {
  return typeof value === 'string' ? value : value.initial;
}

function describeValue(value: ValueGrip): string {
  if (value === null || typeof value !== 'object') return String(value);
  if (value.type === 'longString') return value.initial ?? '';
  const { preview } = value;
  return preview?.message === undefined ? (value.class ?? value.type) : `${preview.name ?? value.class}: ${text(preview.message)}`;
}
