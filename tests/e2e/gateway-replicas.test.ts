/**
 * Gateway replicas that agree (docs/deployment.md, "Scaling the gateway tier"): two gateways sharing one Redis keep
 * one response cache, one cache generation and one set of rate-limit counts. A submission through one is served fresh
 * by the other at once; the per-address limit holds across both; no audience gets another's cached answer from the
 * other replica; a replica whose Redis is away goes on answering, uncached.
 * Both replicas run with the shipped defaults (cache on for 30 s, rate limits on); ground truth is the federation's
 * own gateway, which caches nothing. Schema under test: schema/supergraph.graphql; every service its own process,
 * Redis at TEST_REDIS_URL, under a key prefix of this run's own, deleted afterwards.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { TestFederation, type GraphQLResponse } from '../support/federation';
import { parseLogLine, type ServiceProcess } from '../support/processes';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

let federation: TestFederation;
let replicaA: ServiceProcess;
let replicaB: ServiceProcess;
const keyPrefix = `ifh-test-${randomUUID()}:`;
const redis = new Redis(REDIS_URL, { lazyConnect: true });
const tokens: Record<string, string | undefined> = { anonymous: undefined };


const replica = (env: NodeJS.ProcessEnv = {}) =>
  federation.startExtraGateway({ REDIS_URL, REDIS_KEY_PREFIX: keyPrefix, ...env });

beforeAll(async () => {
  await redis.connect();
  federation = await TestFederation.start();
  [replicaA, replicaB] = await Promise.all([replica(), replica()]);
  tokens.member = federation.token({ sub: 'analyst', roles: ['member'] });
  tokens.hrDuisburg = federation.token({ roles: ['hr'], city: 'duisburg' });
}, 180_000);

afterAll(async () => {
  await Promise.all([replicaA?.stop(), replicaB?.stop()]);
  await federation?.stop();
  const keys = await redis.keys(`${keyPrefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

const STAFF_2025 = `{ municipality(id: "duisburg") { staff(year: 2025) { headcount provenance { kind } } } }`;
const SUBMIT = `mutation ($input: StaffFiguresInput!) { duisburg: municipality(id: "duisburg") { submitStaffFigures(input: $input) { staff { headcount revision { number } } } } }`;
/** Unit breakdowns differ by audience: withheld for anonymous callers, suppressed for members, whole for Duisburg's HR. */
const BREAKDOWN = `query ($year: Int!) {
  duisburg: municipality(id: "duisburg") { staff(year: $year) { headcount byUnit { unit withMigrationHistory suppressed { field reason } } } }
}`;

async function ask(url: string, document: string, variables: Record<string, unknown> = {}, token?: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'accept-language': 'de', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query: document, variables }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLResponse['body'] };
}

/** The response cache sets `Age` on the answers it serves, and only on those. */
const servedFromCache = (answer: { headers: Headers }) => answer.headers.get('age') !== null;

describe('one response cache', () => {
  it("an answer cached through one replica is served by the other, saying how old it is, and expires in Redis with the cache's time to live", async () => {
    const first = await ask(replicaB.url, STAFF_2025);
    const fromA = await ask(replicaA.url, STAFF_2025);
    expect(servedFromCache(first)).toBe(false);
    expect(servedFromCache(fromA)).toBe(true);
    expect(fromA.headers.get('age')).toMatch(/^\d+$/);
    expect(fromA.body).toEqual(first.body);

    const entries = await redis.keys(`${keyPrefix}response-cache:*`);
    expect(entries.length).toBeGreaterThan(0);
    for (const key of entries.filter((entry) => !entry.endsWith(':generation'))) {
      // The shipped time to live is 30 s; every entry expires by itself within it.
      expect(await redis.pttl(key)).toBeGreaterThan(0);
      expect(await redis.pttl(key)).toBeLessThanOrEqual(30_000);
    }
  });

  it('a submission through replica A is served fresh through replica B at once', async () => {
    const before = await ask(replicaB.url, STAFF_2025);
    expect(servedFromCache(await ask(replicaB.url, STAFF_2025))).toBe(true);
    expect(before.body.data!.municipality.staff).toBeNull();

    const submitted = await ask(replicaA.url, SUBMIT, { input: { year: 2025, headcount: 9_100, reason: 'survey 2025' } }, tokens.hrDuisburg);
    expect(submitted.body.errors).toBeUndefined();

    const after = await ask(replicaB.url, STAFF_2025);
    expect(servedFromCache(after)).toBe(false);
    expect(after.body.data!.municipality.staff).toEqual({ headcount: 9_100, provenance: { kind: 'SUBMITTED' } });
    expect(Number(await redis.get(`${keyPrefix}response-cache:generation`))).toBeGreaterThanOrEqual(1);
  });

  it("a reader of one role never gets another role's cached answer from the other replica", async () => {
    const audiences = ['member', 'anonymous', 'hrDuisburg'] as const;
    const truth = new Map<string, GraphQLResponse['body']>();
    for (const audience of audiences) truth.set(audience, (await ask(federation.gatewayUrl, BREAKDOWN, { year: 2024 }, tokens[audience])).body);
    // The answers really differ, or this test could not tell them apart.
    expect(new Set([...truth.values()].map((body) => JSON.stringify(body))).size).toBe(audiences.length);

    // Each audience asks first at one replica, then every audience at the other, in both orders.
    for (const [first, second] of [[replicaA, replicaB], [replicaB, replicaA]] as const) {
      for (const order of [audiences, [...audiences].reverse()]) {
        for (const audience of order) await ask(first.url, BREAKDOWN, { year: 2024 }, tokens[audience]);
        for (const audience of [...order].reverse()) {
          const answer = await ask(second.url, BREAKDOWN, { year: 2024 }, tokens[audience]);
          expect({ audience, body: answer.body }).toEqual({ audience, body: truth.get(audience) });
        }
      }
    }
    expect(servedFromCache(await ask(replicaA.url, BREAKDOWN, { year: 2024 }, tokens.member))).toBe(true);
  });
});

describe('one set of rate-limit counts', () => {
  // Lower than the shipped 600 per minute so that the test sends a handful of requests, not hundreds; a prefix of its
  // own, so that the other tests' requests from this address do not count here.
  const PER_ADDRESS = 6;
  const limitedPrefix = `${keyPrefix}limits:`;
  let limitedA: ServiceProcess;
  let limitedB: ServiceProcess;

  beforeAll(async () => {
    const limited = () => replica({ REDIS_KEY_PREFIX: limitedPrefix, RATE_LIMIT_PER_ADDRESS: String(PER_ADDRESS) });
    [limitedA, limitedB] = await Promise.all([limited(), limited()]);
  }, 120_000);

  afterAll(() => Promise.all([limitedA?.stop(), limitedB?.stop()]));

  it('the per-address limit holds across both: requests split between A and B get 429 after the limit in total', async () => {
    const statuses: number[] = [];
    for (let request = 0; request < PER_ADDRESS + 2; request += 1) {
      statuses.push((await ask((request % 2 === 0 ? limitedA : limitedB).url, '{ __typename }')).status);
    }
    expect(statuses).toEqual([...Array<number>(PER_ADDRESS).fill(200), 429, 429]);
    const refused = await ask(limitedB.url, '{ __typename }');
    expect(refused.body.errors![0]!.extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(await redis.keys(`${limitedPrefix}rate-limit:*`)).toHaveLength(1);
  });
});

describe('a replica whose Redis is away', () => {
  let isolated: ServiceProcess;

  beforeAll(async () => {
    // Port 1: nothing listens, as when Redis is down.
    isolated = await replica({ REDIS_URL: 'redis://127.0.0.1:1' });
  }, 120_000);

  afterAll(() => isolated?.stop());

  it('still answers, uncached and unlimited, says so on /health, and logs the outage once', async () => {
    const answers = [];
    for (let request = 0; request < 3; request += 1) answers.push(await ask(isolated.url, STAFF_2025));
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual((await ask(federation.gatewayUrl, STAFF_2025)).body);
      expect(servedFromCache(answer)).toBe(false);
    }
    const health = (await (await fetch(new URL('/health', isolated.url))).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ status: 'ok', sharedState: { reachable: false } });
    const outages = isolated.output.map(parseLogLine).filter((entry) => String(entry?.msg).startsWith('Redis unreachable'));
    expect(outages).toHaveLength(1);
  });
});
