import type { PGlite } from '@electric-sql/pglite';

interface PendingMessage {
  connection: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: Error) => void;
}

const PROTOCOL_VERSION_3 = 196608;
const SYNC = 0x53; // 'S'
const SIMPLE_QUERY = 0x51; // 'Q'
const TERMINATE = 0x58; // 'X'

/** Whether PGlite answers this message with ReadyForQuery: the end of one exchange of a connection. */
export function endsExchange(message: Uint8Array): boolean {
  if (message.length >= 8) {
    const view = new DataView(message.buffer, message.byteOffset, message.byteLength);
    if (view.getInt32(4) === PROTOCOL_VERSION_3) return true; // startup message
  }
  return message[0] === SYNC || message[0] === SIMPLE_QUERY || message[0] === TERMINATE;
}

/**
 * Shares PGlite's single session among many client connections. A connection keeps the session from its first
 * message until PGlite is idle again: after a Sync or a simple Query, and outside a transaction. The queue in
 * `@electric-sql/pglite-socket` 0.2.17 switches connections between single messages, so one connection's Bind
 * can run against another's Parse and return wrong rows (electric-sql/pglite#1046); this one never does.
 * It implements the queue interface `PGLiteSocketHandler` expects.
 */
export class SessionQueue {
  private owner: number | null = null;
  private pending: PendingMessage[] = [];
  private draining = false;

  constructor(private readonly db: PGlite) {}

  enqueue(connection: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.pending.push({ connection, message, onData, resolve, reject });
      void this.drain();
    });
  }

  getQueueLength(): number {
    return this.pending.length;
  }

  clearQueueForHandler(connection: number): void {
    const dropped = this.pending.filter((pending) => pending.connection === connection);
    this.pending = this.pending.filter((pending) => pending.connection !== connection);
    for (const pending of dropped) pending.reject(new Error('connection closed'));
  }

  /** A connection that leaves mid-exchange or mid-transaction must not hand its state to the next one. */
  async clearTransactionIfNeeded(connection: number): Promise<void> {
    if (this.owner !== connection) return;
    if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
    this.owner = null;
    void this.drain();
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      for (;;) {
        const index = this.owner === null ? 0 : this.pending.findIndex((pending) => pending.connection === this.owner);
        // The owner has not sent its next message yet: everyone else waits, as they would for a lock.
        if (index < 0 || this.pending.length === 0) return;
        const [next] = this.pending.splice(index, 1) as [PendingMessage];
        this.owner = next.connection;
        try {
          let bytes = 0;
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(next.message, {
              onRawData: (data) => {
                bytes += data.length;
                next.onData(data);
              },
            }),
          );
          if (endsExchange(next.message) && !this.db.isInTransaction()) this.owner = null;
          next.resolve(bytes);
        } catch (error) {
          if (!this.db.isInTransaction()) this.owner = null;
          next.reject(error as Error);
        }
      }
    } finally {
      this.draining = false;
    }
  }
}
