/**
 * Batching: a city subgraph answers the CityComparison query with a fixed number of SQL statements, however
 * many years, aliases and organisational units the query touches. Counted from each subgraph's /metrics.
 * Schema under test: schema/supergraph.graphql.
 */
import { TestFederation, contractOperation } from '../support/federation';

/** One statement each for staff, trainees and training figures. */
const STATEMENTS_PER_CITY = 3;

let federation: TestFederation;

beforeAll(async () => {
  federation = await TestFederation.start();
  // The first request of a process also warms connection pools; measure what a steady service costs.
  await federation.query(contractOperation('city-comparison'), { year: 2024 });
}, 120_000);

afterAll(async () => {
  await federation?.stop();
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

describe('staff breakdown by unit', () => {
  it('costs one statement for all years and units together', async () => {
    const document = `query ($from: Int!, $to: Int!) {
      forum { members { id staffSeries(from: $from, to: $to) { year byUnit { unit headcount } } } }
    }`;
    const token = federation.token({ roles: ['member'] });
    const narrow = await statementsPerCity(document, { from: 2023, to: 2024 }, token);
    const wide = await statementsPerCity(document, { from: 2010, to: 2024 }, token);
    expect([...narrow.values()]).toEqual(Array(8).fill(2));
    expect([...wide.values()]).toEqual(Array(8).fill(2));
  });
});
