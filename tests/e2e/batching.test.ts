/**
 * Batching: a city subgraph answers the CityComparison query with a fixed number of SQL statements, however
 * many years, aliases and organisational units the query touches; and identical reads in flight at the same time
 * reach it once, never across readers with different rights and never across a write. Counted from each
 * subgraph's /metrics.
 * Schema under test: schema/supergraph.graphql.
 */
import { ADMIN_DATABASE_URL } from '../support/database';
import { TestFederation, contractOperation } from '../support/federation';
import { TcpProxy, databaseUrlVia } from '../support/tcp-proxy';

/** One statement each for staff, trainees and training figures. */
const STATEMENTS_PER_CITY = 3;

/** Its database is reached through a proxy that can slow it down, so that identical calls overlap for certain. */
const SLOW_CITY = 'essen';
/**
 * The slow city's database latency: long enough that requests sent at once all reach the gateway while the first
 * still waits for the city, even when a busy machine parses and plans them one after another.
 */
const OVERLAP_LATENCY_MS = 400;

let federation: TestFederation;
let databaseProxy: TcpProxy;

beforeAll(async () => {
  const postgres = new URL(ADMIN_DATABASE_URL);
  databaseProxy = await TcpProxy.start({ host: postgres.hostname, port: Number(postgres.port || 5432) });
  federation = await TestFederation.start({
    gatewayEnv: {
      // A slowed database must not make the gateway give up on the city.
      SUBGRAPH_TIMEOUT_MS: '20000',
      // Counts the SQL statements behind each request, which the response cache would answer with none (response-cache.test.ts covers it).
      RESPONSE_CACHE_TTL_MS: '0',
    },
    cityEnv: { [SLOW_CITY]: (databaseUrl) => ({ DATABASE_URL: databaseUrlVia(databaseUrl, databaseProxy.address) }) },
  });
  // The first request of a process also warms connection pools; measure what a steady service costs.
  await federation.query(contractOperation('city-comparison'), { year: 2024 });
}, 120_000);

afterAll(async () => {
  await federation?.stop();
  await databaseProxy?.stop();
});

async function statementsPerCity(document: string, variables: Record<string, unknown>, token?: string): Promise<Map<string, number>> {
  const cities = federation.registry.members.map((member) => member.id);
  const before = await Promise.all(cities.map((city) => federation.sqlStatements(city)));
  const response = await federation.query(document, variables, { token });
  expect(response.body.errors).toBeUndefined();
  const after = await Promise.all(cities.map((city) => federation.sqlStatements(city)));
  return new Map(cities.map((city, index) => [city, after[index]! - before[index]!]));
}

/** CityComparison with more years and aliases per member: the kind of query a dashboard builds. */
const WIDER_COMPARISON = contractOperation('city-comparison').replace(
  'trainees(year: $year) {',
  `earlier: staff(year: 2020) { share }
      evenEarlier: staff(year: 2016) { share }
      trainingBefore: interculturalTraining(year: 2019) { unit completionRate }
      traineesBefore: trainees(year: 2018) { share }
      trainees(year: $year) {`,
);

describe('CityComparison', () => {
  it(`costs each city subgraph ${STATEMENTS_PER_CITY} SQL statements`, async () => {
    const counts = await statementsPerCity(contractOperation('city-comparison'), { year: 2024 });
    expect([...counts.values()]).toEqual(Array(8).fill(STATEMENTS_PER_CITY));
  });

  it('costs the same for another year', async () => {
    const counts = await statementsPerCity(contractOperation('city-comparison'), { year: 2013 });
    expect([...counts.values()]).toEqual(Array(8).fill(STATEMENTS_PER_CITY));
  });

  it('costs the same when the query asks for four more years under aliases', async () => {
    expect(WIDER_COMPARISON).toContain('evenEarlier');
    const counts = await statementsPerCity(WIDER_COMPARISON, { year: 2024 });
    expect([...counts.values()]).toEqual(Array(8).fill(STATEMENTS_PER_CITY));
  });
});

const STAFF_BY_UNIT = `query ($from: Int!, $to: Int!) {
  forum { members { id staffSeries(from: $from, to: $to) { year byUnit { unit headcount } } } }
}`;

describe('staff breakdown by unit', () => {
  it('costs one statement for all years and units together', async () => {
    const document = STAFF_BY_UNIT;
    const token = federation.token({ roles: ['member'] });
    const narrow = await statementsPerCity(document, { from: 2023, to: 2024 }, token);
    const wide = await statementsPerCity(document, { from: 2010, to: 2024 }, token);
    // A member's figures come from each year's history read with its breakdowns (what is withheld depends on both).
    expect([...narrow.values()]).toEqual(Array(8).fill(1));
    expect([...wide.values()]).toEqual(Array(8).fill(1));
  });
});

describe('identical reads in flight at the same time', () => {
  afterEach(() => databaseProxy.forward());

  async function slowCityStatements(send: () => Promise<unknown>): Promise<number> {
    const before = await federation.sqlStatements(SLOW_CITY);
    await send();
    return (await federation.sqlStatements(SLOW_CITY)) - before;
  }

  it('reach a slow city once, and every reader gets the whole answer', async () => {
    databaseProxy.slow(OVERLAP_LATENCY_MS);
    let answers: Array<Awaited<ReturnType<TestFederation['query']>>> = [];
    const statements = await slowCityStatements(async () => {
      answers = await Promise.all(Array.from({ length: 10 }, () => federation.query(contractOperation('city-comparison'), { year: 2024 })));
    });
    expect(statements).toBe(STATEMENTS_PER_CITY);
    for (const answer of answers) {
      expect(answer.body.errors).toBeUndefined();
      expect(answer.body).toEqual(answers[0]!.body);
    }
  });

  it('are not shared between readers with different rights', async () => {
    databaseProxy.slow(OVERLAP_LATENCY_MS);
    const member = federation.token({ roles: ['member'] });
    const variables = { from: 2023, to: 2024 };
    let anonymous: unknown[] = [];
    let members: unknown[] = [];
    // What one call costs for each: anonymous readers get no breakdown, members a suppressed one.
    const anonymousCall = await slowCityStatements(() => federation.query(STAFF_BY_UNIT, variables));
    const memberCall = await slowCityStatements(() => federation.query(STAFF_BY_UNIT, variables, { token: member }));
    const statements = await slowCityStatements(async () => {
      [anonymous, members] = await Promise.all([
        Promise.all(Array.from({ length: 5 }, () => federation.query(STAFF_BY_UNIT, variables).then((answer) => answer.body))),
        Promise.all(Array.from({ length: 5 }, () => federation.query(STAFF_BY_UNIT, variables, { token: member }).then((answer) => answer.body))),
      ]);
    });
    // One call for the anonymous readers and one for the members.
    expect(statements).toBe(anonymousCall + memberCall);
    // Errors (the breakdowns withheld from anonymous readers) come in the order the cities answered.
    const comparable = (body: unknown) => {
      const { data, errors = [] } = body as { data: unknown; errors?: Array<{ path?: unknown[]; extensions?: { code?: string } }> };
      return JSON.stringify({ data, errors: errors.map((error) => `${JSON.stringify(error.path)} ${error.extensions?.code}`).sort() });
    };
    expect(new Set(anonymous.map(comparable)).size).toBe(1);
    expect(new Set(members.map(comparable)).size).toBe(1);
    expect(comparable(anonymous[0])).not.toEqual(comparable(members[0]));
  });

  it('are not joined after a write: a read sent once a submission is answered sees the submission', async () => {
    // The current year: no demo figures yet, so the first submission is revision 1.
    const year = new Date().getFullYear();
    const question = `query { municipality(id: "${SLOW_CITY}") { id staffSeries(from: ${year}, to: ${year}) { year headcount } } }`;
    const hr = federation.token({ roles: ['hr'], city: SLOW_CITY });
    const submit = (headcount: number, correctsRevision?: number) =>
      federation.query(
        `mutation ($input: StaffFiguresInput!) { municipality(id: "${SLOW_CITY}") { submitStaffFigures(input: $input) { staff { headcount } } } }`,
        { input: { year, headcount, reason: 'batching test', ...(correctsRevision ? { correctsRevision } : {}) } },
        { token: hr },
      );
    expect((await submit(9_000)).body.errors).toBeUndefined();
    // A read whose question reaches the database 1.5 s late, and whose answer, on its way back by 2 s, is held
    // another 1.5 s: the read has read, and is still in flight, when the write below is answered.
    databaseProxy.slow(1_500);
    const earlierRead = federation.query(question);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    databaseProxy.forward();
    const writing = submit(9_001, 1);
    const written = await writing;
    expect(written.body.errors).toBeUndefined();
    const laterRead = await federation.query(question);
    expect(laterRead.body.data?.municipality.staffSeries).toEqual([{ year, headcount: 9_001 }]);
    // The earlier read was still in flight when the write was answered, with the figures as they were: a later
    // read that joined it would have got them.
    expect((await earlierRead).body.data?.municipality.staffSeries).toEqual([{ year, headcount: 9_000 }]);
  });
});
