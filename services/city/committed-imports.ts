import { Redis } from 'ioredis';
import { responseCacheGenerationKey } from '../common/cache-generation-key';
import { withoutPassword } from '../common/config';
import type { UsedCredentialSettings } from '../common/auth/used-credentials';
import type { Logger } from '../common/logger';
import type { CommittedImports } from './submissions/figure-import-jobs';

/** How long the city keeps trying to advance the generation after a commit while Redis does not answer. */
const RETRY_DELAYS_MS = [200, 1_000, 5_000, 15_000, 30_000];

/**
 * The city, which commits an import job's rows, starts the new generation of the gateways' response cache itself: it
 * INCRs the key the gateway replicas share (`REDIS_URL`, `REDIS_KEY_PREFIX`, as the gateways have them). Without Redis
 * there is one gateway with a cache of its own, and it follows the jobs it forwarded (gateway/transport/write-jobs.ts).
 */
export class RedisCommittedImports implements CommittedImports {
  private constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly logger: Logger,
  ) {}

  static open(settings: Required<UsedCredentialSettings>, logger: Logger): RedisCommittedImports {
    const redis = new Redis(settings.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 1, connectTimeout: 2_000, commandTimeout: 1_000 });
    redis.on('error', (error: Error) => logger.debug({ err: error, redis: withoutPassword(settings.redisUrl) }, 'Redis for the cache generation unreachable'));
    return new RedisCommittedImports(redis, responseCacheGenerationKey(settings.keyPrefix), logger);
  }

  committed(jobId: string): void {
    void this.advance(jobId);
  }

  private async advance(jobId: string): Promise<void> {
    for (const [attempt, delay] of [0, ...RETRY_DELAYS_MS].entries()) {
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay).unref());
      try {
        await this.redis.incr(this.key);
        return;
      } catch (error) {
        if (attempt === RETRY_DELAYS_MS.length) {
          this.logger.error({ err: error, job: jobId }, 'an import job committed but the response cache generation could not be advanced; gateways may serve answers of before it until their cache expires');
        }
      }
    }
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

/** Without Redis: the gateway that forwarded the job's start follows it (gateway/transport/write-jobs.ts). */
export const FOLLOWED_BY_THE_GATEWAY: CommittedImports = { committed: () => undefined };
