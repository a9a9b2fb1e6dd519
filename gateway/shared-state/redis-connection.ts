import { createClient } from '@keyv/redis';
import { withoutPassword } from '../../services/common/config';
import type { Logger } from '../../services/common/logger';

/** Where the replicas of the gateway share their response cache, its generation and their rate-limit counts. */
export interface SharedStateSettings {
  /** The Redis server (`REDIS_URL`). */
  redisUrl: string;
  /** Start of every key the gateway writes there (`REDIS_KEY_PREFIX`). */
  keyPrefix: string;
}

/** node-redis, the client @keyv/redis is built on: one connection carries the cache, the generation and the counts. */
export type SharedRedisClient = ReturnType<typeof redisClient>;

/**
 * Longest a command may take before whoever sent it goes on without Redis: a reader waits for no cache, a request for
 * no count. Redis answers in well under a millisecond when it is well.
 */
const COMMAND_TIMEOUT_MS = 500;
const CONNECT_TIMEOUT_MS = 2_000;
/**
 * Longest wait between two attempts to reconnect: a Redis that is back is used again within it. An attempt costs a
 * refused connection; the wait also outlives a closed client (node-redis cannot cancel it), so it is kept short.
 */
const RECONNECT_MAX_WAIT_MS = 500;

/**
 * The gateway's connection to the Redis its replicas share. It never makes anyone wait for Redis: while disconnected,
 * commands fail at once (no offline queue) and a hanging command fails after COMMAND_TIMEOUT_MS; everyone who uses it
 * goes on without (answers uncached, requests uncounted) and reports the failure here. An outage is logged once when
 * it begins and once when it ends, not once per request or reconnection attempt.
 */
export class SharedRedis {
  /** Undefined until the first connection attempt or command has told. */
  private reachable: boolean | undefined;
  private readonly whenBack: Array<() => void> = [];
  private readonly where: { redis: string };

  private constructor(
    readonly client: SharedRedisClient,
    readonly keyPrefix: string,
    redisUrl: string,
    private readonly logger: Logger,
  ) {
    this.where = { redis: withoutPassword(redisUrl) };
    client.on('ready', () => this.answered());
    client.on('error', (error: unknown) => this.failed(error));
  }

  /**
   * Connects, waiting at most CONNECT_TIMEOUT_MS (so that the dashboard's warm-up fills the shared cache): start-up
   * goes on without Redis after that, and node-redis keeps trying in the background.
   */
  static async open(settings: SharedStateSettings, logger: Logger): Promise<SharedRedis> {
    const client = redisClient(settings.redisUrl);
    const shared = new SharedRedis(client, settings.keyPrefix, settings.redisUrl, logger);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      client.connect().catch((error: unknown) => shared.failed(error)),
      new Promise((resolve) => (timer = setTimeout(resolve, CONNECT_TIMEOUT_MS))),
    ]);
    clearTimeout(timer);
    return shared;
  }

  /** Whether Redis answered last time it was asked; false while that is unknown. */
  get available(): boolean {
    return this.reachable === true;
  }

  /** For `/health`: whether the gateway shares its state right now. */
  report(): { reachable: boolean } {
    return { reachable: this.available };
  }

  /** A command failed or the connection was lost: the beginning of an outage, unless one is known already. */
  failed(error: unknown): void {
    if (this.reachable !== false) {
      this.logger.error(
        { ...this.where, err: error },
        'Redis unreachable: answers go on, uncached and without the shared cache, and requests pass uncounted by the rate limits until it answers',
      );
    }
    this.reachable = false;
  }

  /** Redis answered (a command, or a connection that is ready): the end of an outage, if there was one. */
  answered(): void {
    if (this.reachable === true) return;
    const outageEnded = this.reachable === false;
    this.reachable = true;
    this.logger.info(this.where, outageEnded ? 'Redis reachable again: the response cache and the rate limits are shared again' : 'Redis reachable: the response cache and the rate limits are shared with the other replicas');
    if (outageEnded) for (const listener of this.whenBack) listener();
  }

  /** Called whenever Redis answers again after an outage. */
  whenBackAfterOutage(listener: () => void): void {
    this.whenBack.push(listener);
  }

  /** Closes the connection and stops reconnecting; again is a no-op. */
  async close(): Promise<void> {
    if (this.client.isOpen) this.client.destroy();
  }
}

function redisClient(url: string) {
  return createClient({
    url,
    disableOfflineQueue: true,
    commandOptions: { timeout: COMMAND_TIMEOUT_MS },
    socket: { connectTimeout: CONNECT_TIMEOUT_MS, reconnectStrategy: (attempt: number) => Math.min(50 * 2 ** attempt, RECONNECT_MAX_WAIT_MS) },
  });
}
