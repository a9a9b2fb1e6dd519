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

function isStartupMessage(message: Uint8Array): boolean {
  if (message.length < 8) return false;
  return new DataView(message.buffer, message.byteOffset, message.byteLength).getInt32(4) === PROTOCOL_VERSION_3;
}

/** Whether PGlite answers this message with ReadyForQuery: the end of one exchange of a connection. */
export function endsExchange(message: Uint8Array): boolean {
  return isStartupMessage(message) || message[0] === SYNC || message[0] === SIMPLE_QUERY || message[0] === TERMINATE;
}

/** The `user` a startup message names (its parameters are pairs of NUL-terminated strings after the version). */
export function startupUser(message: Uint8Array): string | undefined {
  const fields = new TextDecoder().decode(message.subarray(8)).split('\0');
  for (let index = 0; index + 1 < fields.length; index += 2) {
    if (fields[index] === 'user') return fields[index + 1];
  }
  return undefined;
}

/** A simple Query message, for the statements the queue runs between a connection's exchanges. */
function simpleQuery(sql: string): Uint8Array {
  const text = Buffer.from(`${sql}\0`);
  const message = Buffer.alloc(5 + text.length);
  message[0] = SIMPLE_QUERY;
  message.writeInt32BE(4 + text.length, 1);
  text.copy(message, 5);
  return new Uint8Array(message);
}

/** The FATAL ErrorResponse a server sends to a connection it refuses at start-up. */
function fatalError(code: string, text: string): Uint8Array {
  const fields = Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${text}\0\0`);
  const message = Buffer.alloc(5 + fields.length);
  message[0] = 0x45; // 'E'
  message.writeInt32BE(4 + fields.length, 1);
  fields.copy(message, 5);
  return new Uint8Array(message);
}

const quoteIdentifier = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;
const quoteLiteral = (value: string) => `'${value.replaceAll("'", "''")}'`;

/** The rows (as text) and the error, if any, in a backend's answer to a simple Query. */
export function readAnswer(answer: Uint8Array): { rows: Array<Array<string | null>>; error?: { code: string; message: string } } {
  const bytes = Buffer.from(answer.buffer, answer.byteOffset, answer.byteLength);
  const rows: Array<Array<string | null>> = [];
  let error: { code: string; message: string } | undefined;
  for (let offset = 0; offset + 5 <= bytes.length; offset += 1 + bytes.readInt32BE(offset + 1)) {
    const type = bytes[offset];
    const body = bytes.subarray(offset + 5, offset + 1 + bytes.readInt32BE(offset + 1));
    if (type === 0x44) {
      // DataRow: a count of columns, then each as a length (-1: NULL) and its bytes
      const row: Array<string | null> = [];
      let position = 2;
      for (let column = 0; column < body.readInt16BE(0); column += 1) {
        const length = body.readInt32BE(position);
        position += 4;
        row.push(length < 0 ? null : body.toString('utf8', position, position + length));
        position += Math.max(length, 0);
      }
      rows.push(row);
    } else if (type === 0x45) {
      // ErrorResponse: fields of a type byte and a NUL-terminated text
      const fields = new Map(body.toString('utf8').split('\0').filter(Boolean).map((field) => [field[0], field.slice(1)] as const));
      error = { code: fields.get('C') ?? 'XX000', message: fields.get('M') ?? 'unknown error' };
    }
  }
  return { rows, error };
}

/**
 * Shares PGlite's single session among many client connections. A connection keeps the session from its first
 * message until PGlite is idle again: after a Sync or a simple Query, and outside a transaction. The queue in
 * `@electric-sql/pglite-socket` 0.2.17 switches connections between single messages, so one connection's Bind
 * can run against another's Parse and return wrong rows (electric-sql/pglite#1046); this one never does.
 * It implements the queue interface `PGLiteSocketHandler` expects.
 *
 * PGlite ignores the user a client logs in as: its one session belongs to the superuser `postgres`. So that each
 * connection is held to its own role's privileges, as on a server, the queue runs each connection's exchanges under
 * `SET SESSION AUTHORIZATION <its user>`, and refuses a connection whose role does not exist or may not log in. A
 * client can still undo it with SQL (the session's superuser may take any authorization), so this keeps honest
 * services to their roles but is no boundary against a hostile one (docs/security.md#database-roles).
 */
export class SessionQueue {
  private owner: number | null = null;
  private pending: PendingMessage[] = [];
  private draining = false;
  /** The role each connection logged in as. */
  private readonly users = new Map<number, string>();
  /** The connection whose role the session has now; null: unknown, set it before the next exchange. */
  private authorizedFor: number | null = null;

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
    this.users.delete(connection);
    const dropped = this.pending.filter((pending) => pending.connection === connection);
    this.pending = this.pending.filter((pending) => pending.connection !== connection);
    for (const pending of dropped) pending.reject(new Error('connection closed'));
  }

  /** A connection that leaves mid-exchange or mid-transaction must not hand its state to the next one. */
  async clearTransactionIfNeeded(connection: number): Promise<void> {
    if (this.owner !== connection) return;
    if (this.db.isInTransaction()) await this.db.runExclusive(() => this.runOwn('ROLLBACK'));
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
          if (isStartupMessage(next.message) && !(await this.admit(next))) {
            this.owner = null;
            continue;
          }
          let bytes = 0;
          await this.db.runExclusive(async () => {
            if (isStartupMessage(next.message)) {
              // PGlite answers it without a new session; whose the session is now is unknown.
              this.authorizedFor = null;
            } else if (this.authorizedFor !== next.connection) {
              const { error } = await this.runOwn(`SET SESSION AUTHORIZATION ${quoteIdentifier(this.users.get(next.connection) ?? '')}`);
              if (error) throw new Error(`cannot run as the connection's role: ${error.message}`);
              this.authorizedFor = next.connection;
            }
            await this.db.execProtocolRawStream(next.message, {
              onRawData: (data) => {
                bytes += data.length;
                next.onData(data);
              },
            });
          });
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

  /** Takes note of the role a connection logs in as, or refuses it as a server would: FATAL, before anything runs. */
  private async admit(startup: PendingMessage): Promise<boolean> {
    const user = startupUser(startup.message);
    const { rows } =
      user === undefined ? { rows: [] } : await this.db.runExclusive(() => this.runOwn(`SELECT rolcanlogin FROM pg_roles WHERE rolname = ${quoteLiteral(user)}`));
    if (user !== undefined && rows[0]?.[0] === 't') {
      this.users.set(startup.connection, user);
      return true;
    }
    const reason = user === undefined ? 'no user named in the startup message' : rows[0] ? `role "${user}" is not permitted to log in` : `role "${user}" does not exist`;
    startup.onData(fatalError('28000', reason));
    startup.resolve(0);
    return false;
  }

  /**
   * Runs a statement of the queue's own in the session, inside `runExclusive`. Through the same streaming call as the
   * clients' messages: PGlite keeps the last stream's receiver, and any other call would answer to that client.
   */
  private async runOwn(sql: string): Promise<ReturnType<typeof readAnswer>> {
    const chunks: Uint8Array[] = [];
    await this.db.execProtocolRawStream(simpleQuery(sql), { syncToFs: false, onRawData: (data) => chunks.push(data.slice()) });
    return readAnswer(Buffer.concat(chunks));
  }
}
