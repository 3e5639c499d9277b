import { connect, createServer, type Socket } from 'node:net';

type Packet = { from: string; error?: string; message?: string; [key: string]: unknown };

/**
 * Firefox's own remote debugging protocol (what about:debugging speaks), reduced to the one thing
 * BiDi in Firefox 140 ESR cannot do: stop an add-on's event page. BiDi's chrome scope
 * (`moz:scope: "chrome"`) is ignored before Firefox 14x, so a chrome-privileged script there ran
 * in a web tab ("ChromeUtils is not defined"). Packets are `<length>:<JSON>`; one request at a time.
 */
export class RdpConnection {
  private buffer = Buffer.alloc(0);
  private waiting: ((packet: Packet) => void)[] = [];

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
  }

  static async connect(port: number): Promise<RdpConnection> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const rdp = new RdpConnection(socket);
    await rdp.next(); // the root actor's greeting
    return rdp;
  }

  async request(to: string, type: string): Promise<Packet> {
    const body = Buffer.from(JSON.stringify({ to, type }));
    this.socket.write(Buffer.concat([Buffer.from(`${body.length}:`), body]));
    const reply = await this.next();
    if (reply.error) throw new Error(`${to} ${type}: ${reply.error}: ${reply.message ?? ''}`);
    return reply;
  }

  close(): void {
    this.socket.destroy();
  }

  private next(): Promise<Packet> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.drain();
    });
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    this.drain();
  }

  private drain(): void {
    for (;;) {
      const colon = this.buffer.indexOf(':');
      if (colon < 0 || !this.waiting.length) return;
      const length = Number(this.buffer.subarray(0, colon).toString());
      if (this.buffer.length < colon + 1 + length) return;
      const packet = JSON.parse(this.buffer.subarray(colon + 1, colon + 1 + length).toString()) as Packet;
      this.buffer = this.buffer.subarray(colon + 1 + length);
      this.waiting.shift()!(packet);
    }
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

/** Stops the add-on's event page as about:debugging's "Terminate background script" does. */
export async function terminateBackground(port: number, extensionId: string): Promise<void> {
  const rdp = await RdpConnection.connect(port);
  try {
    const { addons } = (await rdp.request('root', 'listAddons')) as unknown as { addons: { id: string; actor: string }[] };
    const addon = addons.find((a) => a.id === extensionId);
    if (!addon) throw new Error(`the debugger does not list ${extensionId}`);
    await rdp.request(addon.actor, 'terminateBackgroundScript');
  } finally {
    rdp.close();
  }
}
