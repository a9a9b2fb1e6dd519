import type { Options as RateLimitOptions } from 'express-rate-limit';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import type { SharedRedis } from './redis-connection';

/**
 * The rate-limit counts the replicas share: rate-limit-redis's counters under `<prefix>rate-limit:`, one per user or
 * address and window, so that a limit holds across every replica instead of being multiplied by their number.
 * A count that fails is reported to the connection (which logs an outage once) and thrown to express-rate-limit, which
 * lets the request pass (`passOnStoreError`, gateway/http-protection.ts).
 */
export class SharedRateLimitStore extends RedisStore {
  constructor(private readonly redis: SharedRedis) {
    super({
      prefix: `${redis.keyPrefix}rate-limit:`,
      sendCommand: async (...command: string[]) => {
        try {
          const reply = (await redis.client.sendCommand(command)) as RedisReply;
          redis.answered();
          return reply;
        } catch (error) {
          redis.failed(error);
          throw error;
        }
      },
    });
  }

  /**
   * rate-limit-redis loads its scripts once, here; a gateway that starts while Redis is away would keep the failed load
   * and never count again. Instead a script whose load failed is loaded when first used: EVALSHA of an unknown script
   * answers NOSCRIPT, on which the store loads it and tries again.
   */
  override async init(options: RateLimitOptions): Promise<void> {
    this.windowMs = options.windowMs;
    const unknownScript = 'script-not-loaded';
    this.incrementScriptSha = this.loadIncrementScript().catch(() => unknownScript);
    this.getScriptSha = this.loadGetScript().catch(() => unknownScript);
    await Promise.all([this.incrementScriptSha, this.getScriptSha]);
  }
}
