/**
 * What the gateway's replicas share in Redis (gateway/shared-state/), in-process against a real Redis at
 * TEST_REDIS_URL: each "replica" is a connection of its own, as two gateway processes would have; keys under a prefix
 * of this run's own, deleted afterwards. An outage is a TCP proxy that refuses, or a port where nothing listens.
 * tests/e2e/gateway-replicas.test.ts covers the same through two gateway processes.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import pino from 'pino';
import { InProcessCacheGeneration, RedisCacheGeneration } from '../../gateway/shared-state/cache-generation';
import { SharedRateLimitStore } from '../../gateway/shared-state/rate-limit-store';
import { SharedRedis } from '../../gateway/shared-state/redis-connection';
import { sharedResponseCacheStore } from '../../gateway/shared-state/response-cache-store';
import { TcpProxy } from '../support/tcp-proxy';
import type { Options as RateLimitOptions } from 'express-rate-limit';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const REDIS_ADDRESS = { host: new URL(REDIS_URL).hostname, port: Number(new URL(REDIS_URL).port || 6379) };
const keyPrefix = `ifh-test-${randomUUID()}:`;
const inspector = new Redis(REDIS_URL, { lazyConnect: true });
const opened: SharedRedis[] = [];

/** A replica's connection, with the lines it logs. */
async function replica(url = REDIS_URL, prefix = keyPrefix) {
  const lines: Array<{ level: number; msg: string }> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as { level: number; msg: string }) });
  const shared = await SharedRedis.open({ redisUrl: url, keyPrefix: prefix }, logger);
  opened.push(shared);
  return { shared, lines, outagesLogged: () => lines.filter((line) => line.msg.startsWith('Redis unreachable')).length };
}

/** Waits until `condition` holds, for a reconnection that happens in the background. */
async function eventually(condition: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`never happened: ${what}`);
}

beforeAll(() => inspector.connect());

afterAll(async () => {
  await Promise.all(opened.map((shared) => shared.close()));
  const keys = await inspector.keys(`${keyPrefix}*`);
  if (keys.length > 0) await inspector.del(...keys);
  inspector.disconnect();
});

describe('the cache generation', () => {
  it('in one process: advanced by a write, read by the next query', async () => {
    const generation = new InProcessCacheGeneration();
    const before = await generation.current();
    await generation.advance();
    expect(await generation.current()).toBe(before + 1);
  });

  it('shared: a write through one replica is seen by the other once advance() has settled', async () => {
    const [a, b] = [new RedisCacheGeneration((await replica()).shared), new RedisCacheGeneration((await replica()).shared)];
    const before = await b.current();
    await a.advance();
    expect(await b.current()).toBe(before! + 1);
    expect(await inspector.get(`${keyPrefix}response-cache:generation`)).toBe(String(before! + 1));
  });

  it('a replica cut off from Redis knows no generation, and advances it for a write made meanwhile once Redis is back', async () => {
    const proxy = await TcpProxy.start(REDIS_ADDRESS);
    const cutOff = await replica(`redis://127.0.0.1:${proxy.port}`);
    try {
      const a = new RedisCacheGeneration(cutOff.shared);
      const b = new RedisCacheGeneration((await replica()).shared);
      expect(await a.current()).toBe(await b.current());
      const before = (await b.current())!;

      proxy.refuse();
      await eventually(async () => (await a.current()) === undefined, 'the cut-off replica notices');
      await a.advance();
      expect(await b.current()).toBe(before);

      proxy.forward();
      await eventually(async () => (await b.current()) === before + 1, 'the write made while cut off advances the generation');
      expect(cutOff.outagesLogged()).toBe(1);
      expect(cutOff.lines.filter((line) => line.msg.startsWith('Redis reachable again'))).toHaveLength(1);
    } finally {
      // Closed before the proxy goes, or it would go on reconnecting to a port that is gone.
      await cutOff.shared.close();
      await proxy.stop();
    }
  });
});

describe('the response cache store', () => {
  it("shares entries between replicas under the prefix, each expiring with the time to live it was given", async () => {
    const [a, b] = [sharedResponseCacheStore((await replica()).shared), sharedResponseCacheStore((await replica()).shared)];
    await a.set('fqc:answer', '{"data":{"answer":42}}', { ttl: 30 });
    expect(await b.get('fqc:answer')).toBe('{"data":{"answer":42}}');
    expect(await b.get('fqc:unknown')).toBeUndefined();
    const ttl = await inspector.pttl(`${keyPrefix}response-cache:fqc:answer`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30_000);
  });

  it('with Redis away: every read a miss, every write skipped, nothing thrown, the outage logged once', async () => {
    // Port 1: nothing listens, as when Redis is down.
    const away = await replica('redis://127.0.0.1:1');
    const store = sharedResponseCacheStore(away.shared);
    await expect(store.set('fqc:answer', 'x', { ttl: 30 })).resolves.toBeUndefined();
    await expect(store.get('fqc:answer')).resolves.toBeUndefined();
    await expect(store.get('fqc:answer')).resolves.toBeUndefined();
    expect(away.shared.report()).toEqual({ reachable: false });
    expect(away.outagesLogged()).toBe(1);
  });
});

describe('the rate-limit counts', () => {
  const options = { windowMs: 60_000 } as RateLimitOptions;

  it('count every replica’s requests against one limit', async () => {
    const [a, b] = [new SharedRateLimitStore((await replica()).shared), new SharedRateLimitStore((await replica()).shared)];
    await Promise.all([a.init(options), b.init(options)]);
    const hits = [];
    for (const store of [a, b, a, b]) hits.push((await store.increment('address:192.0.2.1')).totalHits);
    expect(hits).toEqual([1, 2, 3, 4]);
    expect(Number(await inspector.get(`${keyPrefix}rate-limit:address:192.0.2.1`))).toBe(4);
  });

  it('fail while Redis is away, so that express-rate-limit lets the request pass, and count again once it is back', async () => {
    const proxy = await TcpProxy.start(REDIS_ADDRESS);
    proxy.refuse();
    // Started while Redis is away: its scripts cannot be loaded yet.
    const cutOff = await replica(`redis://127.0.0.1:${proxy.port}`, `${keyPrefix}late:`);
    try {
      const store = new SharedRateLimitStore(cutOff.shared);
      await store.init(options);
      await expect(store.increment('address:192.0.2.2')).rejects.toThrow();

      proxy.forward();
      await eventually(() => cutOff.shared.available, 'the replica reconnects');
      expect((await store.increment('address:192.0.2.2')).totalHits).toBe(1);
      expect((await store.increment('address:192.0.2.2')).totalHits).toBe(2);
    } finally {
      // Closed before the proxy goes, or it would go on reconnecting to a port that is gone.
      await cutOff.shared.close();
      await proxy.stop();
    }
  });
});
