import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketHandler } from '@electric-sql/pglite-socket';
import type { Logger } from '../../common/logger';
import { SessionQueue } from './session-queue';

export interface SocketServerOptions {
  db: PGlite;
  host: string;
  port: number;
  maxConnections: number;
  logger: Logger;
}

/**
 * Serves one PGlite over the PostgreSQL wire protocol to many connections. The protocol handling is
 * pglite-socket's; the scheduling between connections is ours (see SessionQueue).
 */
export class EmbeddedPostgresServer {
  private readonly queue: SessionQueue;
  private readonly handlers = new Set<PGLiteSocketHandler>();
  private server: Server | undefined;

  constructor(private readonly options: SocketServerOptions) {
    this.queue = new SessionQueue(options.db);
  }

  async start(): Promise<number> {
    await this.options.db.waitReady;
    const server = createServer((socket) => void this.accept(socket));
    server.maxConnections = this.options.maxConnections;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => resolve());
    });
    return (server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const handler of this.handlers) await handler.detach(true);
    this.handlers.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async accept(socket: Socket): Promise<void> {
    if (!this.server) {
      socket.destroy();
      return;
    }
    const handler = new PGLiteSocketHandler({
      // The handler only calls the queue's public methods, which SessionQueue provides.
      queryQueue: this.queue as unknown as ConstructorParameters<typeof PGLiteSocketHandler>[0]['queryQueue'],
      closeOnDetach: true,
    });
    this.handlers.add(handler);
    const forget = () => this.handlers.delete(handler);
    handler.addEventListener('close', forget);
    handler.addEventListener('error', (event) => {
      forget();
      const error = (event as CustomEvent<Error>).detail;
      if (!/ECONNRESET/.test(error?.message ?? '')) this.options.logger.warn({ err: error }, 'client connection failed');
    });
    try {
      await handler.attach(socket);
    } catch (error) {
      forget();
      this.options.logger.warn({ err: error }, 'cannot attach client connection');
      socket.destroy();
    }
  }
}
