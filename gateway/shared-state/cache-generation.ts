import { responseCacheGenerationKey } from '../../services/common/cache-generation-key';
import type { SharedRedis } from './redis-connection';

/**
 * Advanced after every write that a subgraph committed through the gateway (gateway/transport/subgraph-data-source.ts
 * reads the subgraph's `ifh-write-committed` header), and after every import job a city committed (the city INCRs the
 * shared key itself when it has REDIS_URL; the gateway that forwarded the job's start follows it, gateway/transport/write-jobs.ts):
 * answers are cached under the generation they were read in, so an
 * answer read before a write finished is never served after it. A refused or failed write leaves it as it is, so that
 * nobody can empty the cache for everyone by sending writes that are refused.
 */
export interface CacheGeneration {
  /** The generation now, read once per query before it runs; undefined: unknown, so nothing may be cached or served from the cache. */
  current(): Promise<number | undefined>;
  /** Starts a new generation; settled once the readers of every replica that shares it will see it. */
  advance(): Promise<void>;
}

/**
 * The generation each request goes by, read once however many plugins ask (the response cache, answers shared in
 * flight): with Redis, one read per request, and every plugin keys the request by the same generation.
 */
export class GenerationPerRequest {
  private readonly read = new WeakMap<object, Promise<number | undefined>>();

  constructor(private readonly generation: CacheGeneration) {}

  of(request: object): Promise<number | undefined> {
    let current = this.read.get(request);
    if (!current) {
      current = this.generation.current();
      this.read.set(request, current);
    }
    return current;
  }
}

/** One gateway's own generation, when it shares nothing with other replicas. */
export class InProcessCacheGeneration implements CacheGeneration {
  private value = 0;

  async current(): Promise<number> {
    return this.value;
  }

  async advance(): Promise<void> {
    this.value += 1;
  }
}

/**
 * The generation the replicas share: one counter in Redis (`<prefix>response-cache:generation`), INCR'd by the replica
 * through which a write committed, read by every replica before it looks up an answer. A write commits through A; the
 * writer gets its answer once the counter moved; anyone who asks B from then on reads the new generation, and B's
 * answers of before are no longer found.
 *
 * A replica that cannot reach Redis caches nothing and serves nothing from the cache. A write that commits through it
 * meanwhile advances the generation as soon as Redis answers again, so that the other replicas, who may have gone on
 * caching, stop serving what they read before it.
 */
export class RedisCacheGeneration implements CacheGeneration {
  private readonly key: string;
  private advancePending = false;

  constructor(private readonly redis: SharedRedis) {
    this.key = responseCacheGenerationKey(redis.keyPrefix);
    redis.whenBackAfterOutage(() => {
      if (this.advancePending) void this.advance();
    });
  }

  async current(): Promise<number | undefined> {
    try {
      const value = await this.redis.client.get(this.key);
      this.redis.answered();
      return value === null ? 0 : Number(value);
    } catch (error) {
      this.redis.failed(error);
      return undefined;
    }
  }

  async advance(): Promise<void> {
    try {
      this.advancePending = true;
      await this.redis.client.incr(this.key);
      this.advancePending = false;
      this.redis.answered();
    } catch (error) {
      this.redis.failed(error);
    }
  }
}
