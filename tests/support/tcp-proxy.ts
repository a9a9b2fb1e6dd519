import net from 'node:net';

export interface TcpAddress {
  host: string;
  port: number;
}

/**
 * What the proxy does with connections:
 * - `forward`: passes bytes both ways, like a working network; `slow(ms)` forwards them late, like a distant or
 *   overloaded server.
 * - `refuse`: resets every open connection and every new one at once, like a database server that is down.
 * - `blackhole`: accepts connections but passes nothing in either direction, like a host that stopped answering
 *   or a firewall that drops packets. Connections that saw the blackhole stay silent after `forward()` as well,
 *   as when a firewall has forgotten them: only their owner can give up on them (and then the proxy closes them
 *   towards the target too, so the server rolls back what they had open).
 */
export type ProxyMode = 'forward' | 'refuse' | 'blackhole';

interface Connection {
  client: net.Socket;
  upstream?: net.Socket;
  /** Once blackholed, a connection never carries a byte again. */
  silenced: boolean;
}

/**
 * A TCP forwarder a test controls, to put faults between a service and what it depends on (its database), or to
 * watch what one service sends another, as someone on the network between them could (`record`).
 */
export class TcpProxy {
  private mode: ProxyMode = 'forward';
  private latencyMs = 0;
  private readonly connections = new Set<Connection>();
  private accepted = 0;
  /** What clients sent towards the target, one entry per connection, in the order connections were opened. */
  private recordings?: Buffer[][];

  private constructor(
    private readonly server: net.Server,
    readonly target: TcpAddress,
    readonly address: TcpAddress,
  ) {}

  /** Listens on `listen` (default: a free port on 127.0.0.1) and forwards to `target`. */
  static async start(target: TcpAddress, listen: Partial<TcpAddress> = {}): Promise<TcpProxy> {
    let proxy: TcpProxy | undefined;
    const server = net.createServer((socket) => proxy!.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(listen.port ?? 0, listen.host ?? '127.0.0.1', () => resolve());
    });
    const bound = server.address() as net.AddressInfo;
    proxy = new TcpProxy(server, target, { host: bound.address, port: bound.port });
    return proxy;
  }

  get port(): number {
    return this.address.port;
  }

  get currentMode(): ProxyMode {
    return this.mode;
  }

  /** Open connections through the proxy, silenced ones included. */
  get openConnections(): number {
    return this.connections.size;
  }

  /** Connections clients opened to the proxy since it started, refused ones included: who tried to call the target. */
  get acceptedConnections(): number {
    return this.accepted;
  }

  /** Forwards new connections again (the fault is over), without delay; silenced connections stay silent. */
  forward(): void {
    this.mode = 'forward';
    this.latencyMs = 0;
  }

  /** Forwards every byte `latencyMs` late, in each direction, in order. */
  slow(latencyMs: number): void {
    this.mode = 'forward';
    this.latencyMs = latencyMs;
  }

  /** The dead server: what is open is reset, what comes is reset. */
  refuse(): void {
    this.mode = 'refuse';
    for (const connection of this.connections) this.close(connection, true);
  }

  blackhole(): void {
    this.mode = 'blackhole';
    for (const connection of this.connections) this.silence(connection);
  }

  /** Keeps, from now on, every byte clients send towards the target (what `sent` returns). */
  record(): void {
    this.recordings ??= [];
  }

  /** The bytes each recorded connection carried from its client towards the target, one buffer per connection. */
  sent(): Buffer[] {
    return (this.recordings ?? []).map((chunks) => Buffer.concat(chunks));
  }

  async stop(): Promise<void> {
    for (const connection of this.connections) this.close(connection, true);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket): void {
    this.accepted++;
    if (this.mode === 'refuse') {
      client.resetAndDestroy();
      return;
    }
    const connection: Connection = { client, silenced: false };
    this.connections.add(connection);
    client.on('error', () => this.close(connection, false));
    client.on('close', () => this.close(connection, false));
    if (this.mode === 'blackhole') {
      this.silence(connection);
      return;
    }
    const upstream = net.connect(this.target.port, this.target.host);
    connection.upstream = upstream;
    upstream.on('error', () => this.close(connection, true));
    upstream.on('close', () => this.close(connection, false));
    const toUpstream = this.delayed(connection, upstream);
    const toClient = this.delayed(connection, client);
    if (this.recordings) {
      const recording: Buffer[] = [];
      this.recordings.push(recording);
      client.on('data', (chunk: Buffer) => recording.push(chunk));
    }
    client.on('data', toUpstream);
    upstream.on('data', toClient);
  }

  /** Writes chunks to `destination` after the current latency, never out of order, and nothing once silenced. */
  private delayed(connection: Connection, destination: net.Socket): (chunk: Buffer) => void {
    const queue: Array<{ due: number; chunk: Buffer }> = [];
    let timer: NodeJS.Timeout | undefined;
    const drain = () => {
      timer = undefined;
      while (queue.length > 0 && queue[0]!.due <= Date.now()) {
        const { chunk } = queue.shift()!;
        if (!connection.silenced && !destination.destroyed) destination.write(chunk);
      }
      if (queue.length > 0) timer = setTimeout(drain, queue[0]!.due - Date.now());
    };
    return (chunk) => {
      if (connection.silenced) return;
      if (this.latencyMs === 0 && queue.length === 0) {
        destination.write(chunk);
        return;
      }
      queue.push({ due: Math.max(Date.now() + this.latencyMs, queue.at(-1)?.due ?? 0), chunk });
      timer ??= setTimeout(drain, queue[0]!.due - Date.now());
    };
  }

  /** Bytes that arrive from now on are dropped; reading goes on so that neither side notices back-pressure. */
  private silence(connection: Connection): void {
    connection.silenced = true;
    connection.client.resume();
    connection.upstream?.resume();
  }

  /** Closes both sides; `reset` sends the client a RST, as a crashed server would, instead of an orderly close. */
  private close(connection: Connection, reset: boolean): void {
    if (!this.connections.delete(connection)) return;
    if (reset && !connection.client.destroyed) connection.client.resetAndDestroy();
    else connection.client.destroy();
    connection.upstream?.destroy();
  }
}

/** The same database URL, but reached through `address` (a proxy's). */
export function databaseUrlVia(url: string, address: TcpAddress): string {
  const via = new URL(url);
  via.hostname = address.host;
  via.port = String(address.port);
  return via.toString();
}
