import { Redis } from 'ioredis';
import { env, readEnv, withoutPassword } from '../config';
import type { Logger } from '../logger';

/**
 * The subgraph's memory of the write credentials it has accepted, so that each is accepted once. An entry is kept
 * until the credential expires: after that the signature check refuses it anyway.
 */
export interface UsedCredentials {
  /**
   * Records `id` as used and says whether it was unused until now. Throws `UsedCredentialsUnavailable` when the
   * memory cannot be asked: the write must then be refused, since a replay could not be told from a first use.
   */
  firstUse(id: string, expiresAt: number): Promise<boolean>;
  close(): Promise<void>;
}

export class UsedCredentialsUnavailable extends Error {
  override name = 'UsedCredentialsUnavailable';
}

export interface UsedCredentialSettings {
  /** Replicas of one subgraph share the memory here (`REDIS_URL`); without it each process remembers alone. */
  redisUrl?: string;
  /** Start of every key this hub writes to Redis (`REDIS_KEY_PREFIX`). */
  keyPrefix: string;
}

/** Settings of the memory of used write credentials, for cities and the forum; documented in docs/configuration.md. */
export function readUsedCredentialSettings(source: NodeJS.ProcessEnv = process.env): UsedCredentialSettings {
  const values = readEnv(
    {
      REDIS_URL: env.redisUrl(),
      REDIS_KEY_PREFIX: env.redisKeyPrefix(),
    },
    source,
  );
  return { redisUrl: values.REDIS_URL, keyPrefix: values.REDIS_KEY_PREFIX };
}

/** One process's memory; enough while a subgraph runs as one process. */
export class InProcessUsedCredentials implements UsedCredentials {
  private readonly used = new Map<string, number>();
  private nextSweep = 0;

  constructor(private readonly now: () => number = () => Date.now() / 1000) {}

  async firstUse(id: string, expiresAt: number): Promise<boolean> {
    const now = this.now();
    // Forgets expired entries now and then: the memory holds at most the writes of the last 30 s or so.
    if (now >= this.nextSweep) {
      for (const [known, until] of this.used) if (until <= now) this.used.delete(known);
      this.nextSweep = now + 10;
    }
    const until = this.used.get(id);
    if (until !== undefined && until > now) return false;
    this.used.set(id, expiresAt);
    return true;
  }

  async close(): Promise<void> {}
}

/**
 * Kept longer than the credential lives: a replica whose clock runs behind the others' accepts a credential a little
 * longer, and must still find it used.
 */
const CLOCK_SKEW_MARGIN_MS = 60_000;

/**
 * The memory shared by the replicas of one subgraph: `SET <prefix>used-gateway-credential:<subgraph>:<jti> 1 NX PX`,
 * which succeeds for exactly one of them. Kept for the credential's remaining life (by this process's clock, which
 * also judged it unexpired) plus a margin for clocks that differ.
 */
export class RedisUsedCredentials implements UsedCredentials {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly subgraph: string,
  ) {}

  async firstUse(id: string, expiresAt: number): Promise<boolean> {
    const remainingMs = Math.max(1, Math.ceil(expiresAt * 1000 - Date.now()));
    try {
      const answer = await this.redis.set(`${this.keyPrefix}used-gateway-credential:${this.subgraph}:${id}`, '1', 'PX', remainingMs + CLOCK_SKEW_MARGIN_MS, 'NX');
      return answer === 'OK';
    } catch (error) {
      throw new UsedCredentialsUnavailable(`Redis did not answer: ${(error as Error).message}`);
    }
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

/**
 * The memory a subgraph uses: Redis when `REDIS_URL` is set, else its own. Redis that cannot be reached at start-up
 * does not stop the service: reads go on, writes are refused until it answers (ioredis keeps reconnecting).
 */
export async function openUsedCredentials(settings: UsedCredentialSettings, subgraph: string, logger: Logger): Promise<UsedCredentials> {
  if (!settings.redisUrl) return new InProcessUsedCredentials();
  const redis = new Redis(settings.redisUrl, {
    lazyConnect: true,
    // Fail at once while disconnected instead of queueing: a write waits for no one, it is refused.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 2_000,
    commandTimeout: 1_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  let reachable: boolean | undefined;
  const where = { subgraph, redis: withoutPassword(settings.redisUrl) };
  redis.on('ready', () => {
    if (reachable !== true) logger.info(where, 'Redis reachable: writes are accepted');
    reachable = true;
  });
  redis.on('error', (error: Error) => {
    // Once per outage, not once per reconnection attempt.
    if (reachable !== false) logger.error({ ...where, err: error }, 'Redis unreachable: writes are refused until it answers, since a replayed write credential could not be recognised');
    reachable = false;
  });
  await redis.connect().catch(() => undefined);
  return new RedisUsedCredentials(redis, settings.keyPrefix, subgraph);
}
