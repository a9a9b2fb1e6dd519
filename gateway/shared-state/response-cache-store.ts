import { KeyvAdapter } from '@apollo/utils.keyvadapter';
import type { KeyValueCache, KeyValueCacheSetOptions } from '@apollo/utils.keyvaluecache';
import KeyvRedis, { Keyv } from '@keyv/redis';
import type { SharedRedis } from './redis-connection';

/**
 * Where the response cache keeps its answers when the replicas share them: Redis through Keyv, as Apollo documents it
 * (@apollo/utils.keyvadapter over @keyv/redis), under `<prefix>response-cache:`. Each entry expires in Redis with the
 * cache's time to live (the plugin passes it on every write; Keyv sets it as `PX`). Answers read in the same tick are
 * fetched with one MGET.
 */
export function sharedResponseCacheStore(redis: SharedRedis): KeyValueCache<string> {
  const namespace = `${redis.keyPrefix}response-cache`;
  // Errors are thrown to the wrapper below, which reports them and answers as a miss; @keyv/redis would otherwise
  // swallow them and nobody would know the cache is away.
  const store = new KeyvRedis<string>(redis.client, { namespace, keyPrefixSeparator: ':', throwOnErrors: true });
  const keyv = new Keyv<string>(store, { namespace, useKeyPrefix: false, throwOnErrors: true });
  return new CacheThatMayBeAway(new KeyvAdapter(keyv), redis);
}

/**
 * A cache that Redis may fail under: a failed read is a miss and a failed write is skipped, each reported to the
 * connection (which logs an outage once), so that answers flow on without the cache, never fail for it.
 */
class CacheThatMayBeAway implements KeyValueCache<string> {
  constructor(
    private readonly cache: KeyValueCache<string>,
    private readonly redis: SharedRedis,
  ) {}

  async get(key: string): Promise<string | undefined> {
    try {
      const value = await this.cache.get(key);
      this.redis.answered();
      return value;
    } catch (error) {
      this.redis.failed(error);
      return undefined;
    }
  }

  async set(key: string, value: string, options?: KeyValueCacheSetOptions): Promise<void> {
    try {
      await this.cache.set(key, value, options);
    } catch (error) {
      this.redis.failed(error);
    }
  }

  async delete(key: string): Promise<boolean | void> {
    try {
      return await this.cache.delete(key);
    } catch (error) {
      this.redis.failed(error);
      return false;
    }
  }
}
