/**
 * Credentials cannot be replayed (docs/security.md, "Subgraphs trust only the gateway"). The test sits where an
 * attacker on the network would: its own TCP proxy between the gateway and Duisburg's subgraph (and the forum's),
 * plain HTTP, recording every byte the gateway sends. What it captures, it sends again: a write credential is refused
 * a second time and for any other operation, so nothing is written twice; a read credential carries no write, and
 * still reads for its short life, which is all it is good for. Replicas of one city that share Redis refuse a write
 * credential used at the other; with Redis away, writes are refused and reads go on.
 * Schema under test: schema/supergraph.graphql and the subgraphs' own schemas; every service its own process.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { TestFederation } from '../support/federation';
import { claimsOf, requestsOnConnection, sendRaw, withBody, type WireRequest, type WireResponse } from '../support/http-wire';
import type { ServiceProcess } from '../support/processes';
import { TcpProxy, type TcpAddress } from '../support/tcp-proxy';
import { signToken } from '../support/tokens';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

let federation: TestFederation;
let cityProxy: TcpProxy;
let forumProxy: TcpProxy;
/** A gateway that reaches Duisburg and the forum through the recording proxies. */
let gateway: ServiceProcess;
const tokens: Record<'hr' | 'admin', string> = { hr: '', admin: '' };

const addressOf = (service: ServiceProcess): TcpAddress => {
  const url = new URL(service.url);
  return { host: url.hostname, port: Number(url.port) };
};

beforeAll(async () => {
  federation = await TestFederation.start({
    // Reads back writes sent to the city past this gateway, which its cache cannot know of (gateway-replicas.test.ts covers the cache).
    gatewayEnv: { RESPONSE_CACHE_TTL_MS: '0' },
  });
  cityProxy = await TcpProxy.start(addressOf(federation.subgraphs.get('duisburg')!));
  forumProxy = await TcpProxy.start(addressOf(federation.subgraphs.get('forum')!));
  cityProxy.record();
  forumProxy.record();
  gateway = await federation.startExtraGateway({
    SUBGRAPH_URL_DUISBURG: `http://127.0.0.1:${cityProxy.port}/graphql`,
    SUBGRAPH_URL_FORUM: `http://127.0.0.1:${forumProxy.port}/graphql`,
  });
  tokens.hr = federation.token({ sub: 'hr-duisburg', name: 'Petra Personal', roles: ['hr'], city: 'duisburg' });
  tokens.admin = federation.token({ sub: 'admin', roles: ['admin'] });
}, 180_000);

afterAll(async () => {
  await gateway?.stop();
  await cityProxy?.stop();
  await forumProxy?.stop();
  await federation?.stop();
});

/** What the gateway has sent through `proxy` so far, whose body mentions `field`. */
function captured(proxy: TcpProxy, field: string): WireRequest[] {
  return proxy
    .sent()
    .flatMap(requestsOnConnection)
    .filter((request) => request.body.toString('utf8').includes(field));
}

const credentialOf = (request: WireRequest) => request.headers.authorization!.replace(/^Bearer /, '');
const reasonOf = (response: WireResponse) => response.body.errors?.map((error) => `${error.extensions?.code} ${error.extensions?.reason}`);

const SUBMIT = `mutation ($input: StaffFiguresInput!) {
  duisburg: municipality(id: "duisburg") { submitStaffFigures(input: $input) { staff { year headcount revision { number } } } }
}`;
const REVISIONS = `query ($year: Int!) { municipality(id: "duisburg") { staffRevisions(year: $year) { headcount revision { number } } } }`;

/** Duisburg's revisions of a year, read through the federation's own gateway as Duisburg's HR team. */
async function revisions(year: number): Promise<Array<{ headcount: number; revision: { number: number } }>> {
  const response = await federation.query(REVISIONS, { year }, { token: tokens.hr });
  expect(response.body.errors).toBeUndefined();
  return response.body.data!.municipality.staffRevisions ?? [];
}

describe('a submission captured on its way to the city', () => {
  // The current year: the demo data ends earlier, so the submission is the year's first revision.
  const year = new Date().getFullYear();
  let submission: WireRequest;

  beforeAll(async () => {
    const response = await federation.query(SUBMIT, { input: { year, headcount: 5_000, reason: 'replay test' } }, { url: gateway.url, token: tokens.hr });
    expect(response.body.errors).toBeUndefined();
    const submissions = captured(cityProxy, 'submitStaffFigures');
    expect(submissions).toHaveLength(1);
    submission = submissions[0]!;
  });

  it('carried a credential for this one request: its own id, the digest of its operation, 30 s to live', () => {
    const claims = claimsOf(credentialOf(submission));
    expect(claims).toMatchObject({ aud: 'duisburg', sub: 'hr-duisburg', jti: expect.any(String), operation_sha256: expect.stringMatching(/^[\w-]{43}$/) });
    expect((claims.exp as number) - (claims.iat as number)).toBeLessThanOrEqual(30);
  });

  it('is refused when sent again unchanged, and nothing is written twice', async () => {
    const replayed = await sendRaw(addressOf(federation.subgraphs.get('duisburg')!), submission.raw);
    expect(replayed.status).toBe(401);
    expect(replayed.body.data).toBeUndefined();
    expect(reasonOf(replayed)).toEqual(['UNAUTHENTICATED gateway-credential-replayed']);
    expect(await revisions(year)).toEqual([{ headcount: 5_000, revision: { number: 1 } }]);
  });

  it('is refused with other figures under the same credential', async () => {
    const body = JSON.parse(submission.body.toString('utf8')) as { variables: { input: Record<string, unknown> } };
    const forged = { ...body, variables: { input: { ...body.variables.input, headcount: 9_999, correctsRevision: 1 } } };
    const replayed = await sendRaw(addressOf(federation.subgraphs.get('duisburg')!), withBody(submission, JSON.stringify(forged)));
    expect(replayed.status).toBe(401);
    expect(reasonOf(replayed)).toEqual(['UNAUTHENTICATED gateway-credential-other-operation']);
    expect(await revisions(year)).toEqual([{ headcount: 5_000, revision: { number: 1 } }]);
  });

  it('does not stop the next submission, which gets a credential of its own', async () => {
    const before = captured(cityProxy, 'submitStaffFigures').length;
    const response = await federation.query(
      SUBMIT,
      { input: { year, headcount: 5_001, reason: 'replay test, corrected', correctsRevision: 1 } },
      { url: gateway.url, token: tokens.hr },
    );
    expect(response.body.errors).toBeUndefined();
    const next = captured(cityProxy, 'submitStaffFigures').slice(before);
    expect(next).toHaveLength(1);
    expect(claimsOf(credentialOf(next[0]!)).jti).not.toBe(claimsOf(credentialOf(submission)).jti);
    expect((await revisions(year)).map((revision) => revision.revision.number).sort()).toEqual([1, 2]);
  });
});

describe('a read credential captured on its way to the city', () => {
  const year = 2024;
  let read: WireRequest;

  beforeAll(async () => {
    const response = await federation.query(REVISIONS, { year }, { url: gateway.url, token: tokens.hr });
    expect(response.body.errors).toBeUndefined();
    read = captured(cityProxy, 'staffRevisions').at(-1)!;
  });

  it('lives 30 s, names no request, and is the one the gateway uses for the next read of that user', async () => {
    const claims = claimsOf(credentialOf(read));
    expect(claims).not.toHaveProperty('jti');
    expect(claims).not.toHaveProperty('operation_sha256');
    expect((claims.exp as number) - (claims.iat as number)).toBe(30);
    await federation.query(REVISIONS, { year: 2023 }, { url: gateway.url, token: tokens.hr });
    expect(credentialOf(captured(cityProxy, 'staffRevisions').at(-1)!)).toBe(credentialOf(read));
  });

  it('still reads while it lives: what that user may read of that city, nothing more', async () => {
    const replayed = await sendRaw(addressOf(federation.subgraphs.get('duisburg')!), read.raw);
    expect(replayed.status).toBe(200);
    expect(replayed.body.errors).toBeUndefined();
  });

  it('carries no write', async () => {
    const before = await revisions(year);
    const write = {
      query: 'mutation ($input: StaffFiguresInput!) { duisburg: municipality(id: "duisburg") { submitStaffFigures(input: $input) { replayed } } }',
      variables: { input: { year, headcount: 1, reason: 'written with a captured read credential', correctsRevision: before.length } },
    };
    const replayed = await sendRaw(addressOf(federation.subgraphs.get('duisburg')!), withBody(read, JSON.stringify(write)));
    expect(replayed.status).toBe(401);
    expect(reasonOf(replayed)).toEqual(['UNAUTHENTICATED gateway-credential-read-only']);
    // Not even a comment or a second operation chosen by name disguises a write as a read.
    const disguised = { ...write, query: `# { a }\nquery Harmless { __typename }\n${write.query.replace('mutation', 'mutation Write')}`, operationName: 'Write' };
    expect(reasonOf(await sendRaw(addressOf(federation.subgraphs.get('duisburg')!), withBody(read, JSON.stringify(disguised))))).toEqual([
      'UNAUTHENTICATED gateway-credential-read-only',
    ]);
    expect(await revisions(year)).toEqual(before);
  });
});

describe("a credential for the forum captured from an administrator's request", () => {
  const ISSUE = `mutation ($input: TokenRequest!) { forum { issueToken(input: $input) { token subject roles } } }`;
  const AUDIT = `{ forum { auditLog(limit: 100) { action outcome } } }`;
  const issued = async () => {
    const response = await federation.query(AUDIT, {}, { token: tokens.admin });
    expect(response.body.errors).toBeUndefined();
    return (response.body.data!.forum.auditLog as Array<{ action: string; outcome: string }>).filter((entry) => entry.action === 'issueToken' && entry.outcome === 'ACCEPTED')
      .length;
  };

  it('cannot issue a token when it came from a read', async () => {
    expect((await federation.query(AUDIT, {}, { url: gateway.url, token: tokens.admin })).body.errors).toBeUndefined();
    const read = captured(forumProxy, 'auditLog').at(-1)!;
    const before = await issued();
    const mint = {
      query: 'mutation ($input: TokenRequest!) { forum { issueToken(input: $input) { token } } }',
      variables: { input: { roles: ['ADMIN'], subject: 'mallory', expiresIn: '365d' } },
    };
    const replayed = await sendRaw(addressOf(federation.subgraphs.get('forum')!), withBody(read, JSON.stringify(mint)));
    expect(replayed.status).toBe(401);
    expect(replayed.body.data).toBeUndefined();
    expect(reasonOf(replayed)).toEqual(['UNAUTHENTICATED gateway-credential-read-only']);
    expect(await issued()).toBe(before);
  });

  it('cannot issue a second token, nor another one, when it came from issuing one', async () => {
    const before = await issued();
    const response = await federation.query(ISSUE, { input: { roles: ['MEMBER'], subject: 'statistik@stadt.example' } }, { url: gateway.url, token: tokens.admin });
    expect(response.body.errors).toBeUndefined();
    const issuing = captured(forumProxy, 'issueToken').at(-1)!;
    const forum = addressOf(federation.subgraphs.get('forum')!);
    const again = await sendRaw(forum, issuing.raw);
    expect([again.status, reasonOf(again)]).toEqual([401, ['UNAUTHENTICATED gateway-credential-replayed']]);
    const body = JSON.parse(issuing.body.toString('utf8')) as { variables: Record<string, unknown> };
    const mint = { ...body, variables: { input: { roles: ['ADMIN'], subject: 'mallory', expiresIn: '365d' } } };
    const other = await sendRaw(forum, withBody(issuing, JSON.stringify(mint)));
    expect([other.status, reasonOf(other)]).toEqual([401, ['UNAUTHENTICATED gateway-credential-other-operation']]);
    expect(JSON.stringify([again.body, other.body])).not.toMatch(/eyJ/);
    expect(await issued()).toBe(before + 1);
  });
});

describe('a credential signed to live longer than 30 s', () => {
  it('is refused, however it got its signature', async () => {
    const credential = signToken(federation.keys.gateway, { sub: 'admin', roles: ['admin'] }, { issuer: 'integration-forum-hub/gateway', audience: 'duisburg', expiresIn: 60 });
    const response = await fetch(federation.subgraphs.get('duisburg')!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}` },
      body: JSON.stringify({ query: '{ _service { sdl } }' }),
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as WireResponse['body']).errors![0]!.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'gateway-credential-lifetime' });
  });
});

/**
 * A write credential as the gateway signs one, made here with node:crypto alone: SHA-256 over the JSON of the operation
 * with its keys in sorted order (the variables below are written in that order too), as docs/security.md defines it.
 */
function writeCredential(operation: { query: string; variables: Record<string, unknown> }, audience: string): string {
  const digest = createHash('sha256').update(JSON.stringify({ operationName: null, query: operation.query, variables: operation.variables })).digest('base64url');
  return signToken(
    federation.keys.gateway,
    { sub: 'hr-duisburg', roles: ['hr'], city: 'duisburg', locale: 'en', jti: randomUUID(), operation_sha256: digest },
    { issuer: 'integration-forum-hub/gateway', audience, expiresIn: 30 },
  );
}

describe('replicas of one city that share Redis', () => {
  // Test-only: a prefix of this run's own, so that runs beside each other on one Redis never meet.
  const keyPrefix = `ifh-test-${randomUUID()}:`;
  const year = new Date().getFullYear() - 1;
  let replicas: ServiceProcess[] = [];
  let replicaProxy: TcpProxy;
  let replicaGateway: ServiceProcess;
  const redis = new Redis(REDIS_URL, { lazyConnect: true });

  beforeAll(async () => {
    replicas = await Promise.all([0, 1].map(() => federation.startExtraCity('duisburg', { REDIS_URL, REDIS_KEY_PREFIX: keyPrefix })));
    replicaProxy = await TcpProxy.start(addressOf(replicas[0]!));
    replicaProxy.record();
    replicaGateway = await federation.startExtraGateway({ SUBGRAPH_URL_DUISBURG: `http://127.0.0.1:${replicaProxy.port}/graphql` });
    await redis.connect();
  }, 120_000);

  afterAll(async () => {
    await replicaGateway?.stop();
    await replicaProxy?.stop();
    await Promise.all(replicas.map((replica) => replica.stop()));
    const keys = await redis.keys(`${keyPrefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('refuse at one a write credential used at the other', async () => {
    const response = await federation.query(SUBMIT, { input: { year, headcount: 4_000, reason: 'replica test' } }, { url: replicaGateway.url, token: tokens.hr });
    expect(response.body.errors).toBeUndefined();
    const [submission] = captured(replicaProxy, 'submitStaffFigures');
    const replayed = await sendRaw(addressOf(replicas[1]!), submission!.raw);
    expect([replayed.status, reasonOf(replayed)]).toEqual([401, ['UNAUTHENTICATED gateway-credential-replayed']]);
    // Remembered under the subgraph's name, until the credential has expired (and a margin for clocks).
    const key = `${keyPrefix}used-gateway-credential:duisburg:${claimsOf(credentialOf(submission!)).jti}`;
    expect(await redis.exists(key)).toBe(1);
    expect(await redis.pttl(key)).toBeGreaterThan(0);
    expect(await revisions(year)).toEqual([{ headcount: 4_000, revision: { number: 1 } }]);
  });

  it('each accept a write credential of their own once, and refuse it the second time at either', async () => {
    const write = {
      query: 'mutation ($input: StaffFiguresInput!) { duisburg: municipality(id: "duisburg") { submitStaffFigures(input: $input) { replayed } } }',
      variables: { input: { correctsRevision: 1, headcount: 4_001, reason: 'replica test, corrected', year } },
    };
    const credential = writeCredential(write, 'duisburg');
    const send = (replica: ServiceProcess) =>
      fetch(replica.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}` }, body: JSON.stringify(write) });
    expect((await send(replicas[1]!)).status).toBe(200);
    expect((await send(replicas[0]!)).status).toBe(401);
    expect((await send(replicas[1]!)).status).toBe(401);
    expect((await revisions(year)).map((revision) => revision.headcount).sort()).toEqual([4_000, 4_001]);
  });
});

describe('a city whose Redis is unreachable', () => {
  let city: ServiceProcess;

  beforeAll(async () => {
    // Port 1: nothing listens, as when Redis is down.
    city = await federation.startExtraCity('duisburg', { REDIS_URL: 'redis://127.0.0.1:1' });
  }, 60_000);

  afterAll(() => city?.stop());

  it('refuses writes, saying why, writes nothing, and goes on answering reads', async () => {
    const year = 2024;
    const before = await revisions(year);
    const write = {
      query: 'mutation ($input: StaffFiguresInput!) { duisburg: municipality(id: "duisburg") { submitStaffFigures(input: $input) { replayed } } }',
      variables: { input: { correctsRevision: before.length, headcount: 3_000, reason: 'written while Redis is away', year } },
    };
    const refused = await fetch(city.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${writeCredential(write, 'duisburg')}` },
      body: JSON.stringify(write),
    });
    expect(refused.status).toBe(503);
    const body = (await refused.json()) as WireResponse['body'];
    expect(body.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'SERVICE_UNAVAILABLE', reason: 'used-credentials-unavailable' }) })]);
    expect((body.errors![0]!.extensions!.messages as { en: string }).en).toMatch(/Redis.*Nothing was written/);
    expect(await revisions(year)).toEqual(before);

    const read = signToken(federation.keys.gateway, { sub: 'hr-duisburg', roles: ['hr'], city: 'duisburg' }, { issuer: 'integration-forum-hub/gateway', audience: 'duisburg', expiresIn: 30 });
    const answered = await fetch(city.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${read}` },
      body: JSON.stringify({ query: '{ _service { sdl } }' }),
    });
    expect(answered.status).toBe(200);
  });
});
