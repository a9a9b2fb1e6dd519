/**
 * A city known to be down is answered for at once, without calling it: after 3 calls that found Oberhausen
 * unavailable (the defaults SUBGRAPH_BREAKER_FAILURES=3, SUBGRAPH_BREAKER_COOLDOWN_MS=5000) the gateway stops calling
 * it, reads and writes alike, until the cool-down is over; then one call probes it (the gateway's own after every
 * cool-down, or a reader's), and once it answers the answers are complete again. Oberhausen's HTTP port is reached through a TCP proxy the test controls, whose connections
 * tell whether the gateway called it; nothing here measures time.
 * Schema under test: schema/supergraph.graphql, subgraphs and gateway as separate processes.
 */
import { METRICS_TOKEN, TestFederation, contractOperation, type GraphQLResponse } from '../support/federation';
import type { ServiceProcess } from '../support/processes';
import { TcpProxy } from '../support/tcp-proxy';

const CITY = 'oberhausen';
const COMPARISON = contractOperation('city-comparison');

let federation: TestFederation;
let cityProxy: TcpProxy;
let gateway: ServiceProcess;

beforeAll(async () => {
  federation = await TestFederation.start();
  const city = new URL(federation.subgraphs.get(CITY)!.url);
  cityProxy = await TcpProxy.start({ host: city.hostname, port: Number(city.port) });
  const viaProxy = new URL(city);
  viaProxy.port = String(cityProxy.port);
  gateway = await federation.startExtraGateway({
    SUBGRAPH_URL_OBERHAUSEN: viaProxy.toString(),
    // Counts the calls each request makes to Oberhausen, which the response cache would answer first (faults.test.ts runs faults with it on).
    RESPONSE_CACHE_TTL_MS: '0',
  });
  // Every city works out its withheld counts first; only Oberhausen's proxy is meant to fail.
  for (let attempt = 1; ; attempt++) {
    const warmUp = await comparison();
    if (warmUp.body.errors === undefined) break;
    if (attempt === 5) throw new Error(`the comparison never answered without errors: ${JSON.stringify(warmUp.body.errors)}`);
  }
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
  await cityProxy?.stop();
  await federation?.stop();
});

function comparison(): Promise<GraphQLResponse> {
  return federation.query(COMPARISON, { year: 2024 }, { url: gateway.url });
}

function expectOthersAnswer(response: GraphQLResponse) {
  const members = response.body.data!.forum.members as Array<{ id: string; staff: unknown }>;
  expect(members).toHaveLength(8);
  for (const member of members) {
    if (member.id === CITY) expect(member.staff).toBeNull();
    else expect(member.staff).toEqual(expect.objectContaining({ year: 2024 }));
  }
}

/** The gateway's figures for Oberhausen's breaker: whether it is open, and how many calls it answered without calling. */
async function breakerFigures(): Promise<{ open: number; answeredWithoutCalling: number }> {
  const text = await (await fetch(new URL('/metrics', gateway.url), { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  const value = (name: string) => {
    const line = text.split('\n').find((candidate) => candidate.startsWith(`${name}{`) && candidate.includes(`subgraph="${CITY}"`));
    return line === undefined ? 0 : Number(line.split(' ').at(-1));
  };
  return { open: value('gateway_subgraph_breaker_open'), answeredWithoutCalling: value('gateway_subgraph_calls_answered_without_calling_total') };
}

describe('a city whose service refuses every connection', () => {
  let connectionsWhenOpened: number;

  beforeAll(() => {
    cityProxy.refuse();
  });

  it('is called until 3 calls in a row found it unavailable, then no more', async () => {
    const before = cityProxy.acceptedConnections;
    let opened: GraphQLResponse | undefined;
    for (let request = 1; request <= 6 && !opened; request++) {
      const response = await comparison();
      expect(response.body.errors).toHaveLength(1);
      expect(response.body.errors![0]!.extensions).toMatchObject({ code: 'CITY_UNAVAILABLE', city: CITY });
      expectOthersAnswer(response);
      if (response.body.errors![0]!.extensions!.knownDown !== undefined) opened = response;
    }
    expect(opened).toBeDefined();
    // At least the 3 failed calls; more only where one request sent Oberhausen several calls at once.
    expect(cityProxy.acceptedConnections - before).toBeGreaterThanOrEqual(3);
    connectionsWhenOpened = cityProxy.acceptedConnections;
    expect(await breakerFigures()).toMatchObject({ open: 1 });
  });

  it('is then answered for at once, with one error naming it and saying since when it is down, while every other city answers', async () => {
    const { answeredWithoutCalling } = await breakerFigures();
    for (let request = 1; request <= 5; request++) {
      const response = await comparison();
      expect(response.body.errors).toHaveLength(1);
      const error = response.body.errors![0]!;
      expect(error.extensions).toMatchObject({ code: 'CITY_UNAVAILABLE', city: CITY, delivered: false });
      expect(error.extensions!.reason).toMatch(/^known to be down since \S+Z \(the connection was reset\), tried again from \S+Z$/);
      const knownDown = error.extensions!.knownDown as { since: string; nextTryAt: string };
      expect(new Date(knownDown.nextTryAt).getTime()).toBeGreaterThan(new Date(knownDown.since).getTime());
      expect(error.message).toContain('Oberhausen');
      expectOthersAnswer(response);
    }
    expect(cityProxy.acceptedConnections).toBe(connectionsWhenOpened);
    expect((await breakerFigures()).answeredWithoutCalling).toBeGreaterThanOrEqual(answeredWithoutCalling + 5);
  });

  it('refuses a write at once, saying it was not attempted and nothing was written', async () => {
    const hr = federation.token({ sub: 'hr-oberhausen', roles: ['hr'], city: CITY });
    const response = await federation.query(
      `mutation ($input: TraineeIntakeInput!) { oberhausen: municipality(id: "oberhausen") { submitTraineeIntake(input: $input) { replayed } } }`,
      { input: { year: 2025, intake: 100, withMigrationHistory: 30, idempotencyKey: 'breaker-open-write' } },
      { url: gateway.url, token: hr, headers: { 'accept-language': 'de' } },
    );
    expect(response.body.errors).toHaveLength(1);
    const error = response.body.errors![0]!;
    expect(error.extensions).toMatchObject({ code: 'CITY_UNAVAILABLE', city: CITY, delivered: false, writeOutcome: 'NOT_WRITTEN' });
    expect(error.extensions!.reason).toMatch(/; the write was not attempted$/);
    expect(error.message).toMatch(/^Die Zahlen von Oberhausen fehlen: bekanntermaßen seit .*; die Änderung wurde nicht versucht\. Es wurde nichts gespeichert\.$/);
    expect(cityProxy.acceptedConnections).toBe(connectionsWhenOpened);
  });
});

describe('while it is down', () => {
  it('is probed by the gateway itself after every cool-down, with no reader asking', async () => {
    const before = cityProxy.acceptedConnections;
    // Bounded: the cool-down is 5 s; polled, not timed. No query is sent meanwhile.
    for (let attempt = 1; attempt <= 60 && cityProxy.acceptedConnections === before; attempt++) await new Promise((resolve) => setTimeout(resolve, 250));
    expect(cityProxy.acceptedConnections).toBeGreaterThan(before);
    expect(await breakerFigures()).toMatchObject({ open: 1 });
  });
});

describe('the same city answering again', () => {
  it('is found back by the next probe, with no reader asking', async () => {
    cityProxy.forward();
    for (let attempt = 1; attempt <= 60 && (await breakerFigures()).open === 1; attempt++) await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await breakerFigures()).toMatchObject({ open: 0 });
  });

  it('is asked again at the next question, which it answers in full', async () => {
    const response = await comparison();
    expect(response.body.errors).toBeUndefined();
    const members = response.body.data!.forum.members as Array<{ id: string; staff: unknown }>;
    expect(members.find((member) => member.id === CITY)!.staff).toEqual(expect.objectContaining({ year: 2024 }));
    expect(await breakerFigures()).toMatchObject({ open: 0 });
  });
});
