/**
 * One city's service down or hanging must not take the forum down: the contract queries answer for everyone
 * else, with one error whose extensions name the missing city (tests/contract/README.md).
 * Schema under test: schema/supergraph.graphql, subgraphs as separate processes.
 */
import { TestFederation, contractOperation, type GraphQLResponse } from '../support/federation';
import type { ServiceProcess } from '../support/processes';

/**
 * The year asked about: not the latest (2024), whose dashboard questions the gateway's warm-up puts in its response
 * cache, where they would hide an outage for their first 30 s (tests/e2e/faults.test.ts shows that).
 */
const YEAR = 2023;

let federation: TestFederation;

beforeAll(async () => {
  federation = await TestFederation.start();
}, 120_000);

afterAll(async () => {
  await federation?.stop();
});

function expectOneErrorNaming(response: GraphQLResponse, city: string) {
  expect(response.status).toBe(200);
  expect(response.body.errors).toHaveLength(1);
  expect(response.body.errors![0]!.extensions).toMatchObject({ code: 'CITY_UNAVAILABLE', city });
}

function expectOthersAnswer(response: GraphQLResponse, missing: string) {
  const members = response.body.data!.forum.members as Array<{ id: string; staff: unknown; trainees: unknown }>;
  expect(members).toHaveLength(8);
  for (const member of members) {
    if (member.id === missing) expect(member.staff).toBeNull();
    else expect(member.staff).toEqual(expect.objectContaining({ year: YEAR }));
  }
}

describe('a city that does not answer in time', () => {
  let slowGateway: ServiceProcess;

  beforeAll(async () => {
    // A gateway of its own, so that no cached answer hides Essen's silence.
    slowGateway = await federation.startExtraGateway({ SUBGRAPH_TIMEOUT_MS: '3000' });
    // Every city works out its withheld counts for that year first, asked for another operation so that nothing of the
    // comparison is cached: that first answer may take longer than the timeout on a busy machine, and only Essen
    // is meant to be late.
    for (let attempt = 1; ; attempt++) {
      const warmUp = await federation.query(contractOperation('staff-uncertainty'), { year: YEAR }, { url: slowGateway.url });
      if (warmUp.body.errors === undefined) break;
      if (attempt === 5) throw new Error(`the comparison never answered without errors: ${JSON.stringify(warmUp.body.errors)}`);
    }
    federation.subgraphs.get('essen')!.child.kill('SIGSTOP');
  });

  afterAll(async () => {
    federation.subgraphs.get('essen')!.child.kill('SIGCONT');
    await slowGateway.stop();
  });

  it('is reported once, by name, while every other city answers', async () => {
    const comparison = await federation.query(contractOperation('city-comparison'), { year: YEAR }, { url: slowGateway.url });
    expectOneErrorNaming(comparison, 'essen');
    expect(comparison.body.errors![0]!.extensions!.reason).toMatch(/no answer within 3000 ms/);
    expectOthersAnswer(comparison, 'essen');
  });
});

describe('a city whose service is down', () => {
  it('stops cleanly on SIGTERM', async () => {
    const bochum = federation.subgraphs.get('bochum')!;
    await bochum.stop('SIGTERM');
    expect(await bochum.exited).toBe(0);
    expect(bochum.output.join('\n')).toContain('city-bochum stopped');
  });

  it('leaves the comparison of the other cities intact, with one error naming it', async () => {
    const response = await federation.query(contractOperation('city-comparison'), { year: YEAR });
    expectOneErrorNaming(response, 'bochum');
    expect(response.body.errors![0]!.message).toContain('Bochum');
    expect(response.body.errors![0]!.extensions!.reason).toBe('the service is not running (connection refused)');
    expectOthersAnswer(response, 'bochum');
  });

  it('leaves the uncertainty of the other cities and the forum-wide estimate intact, with one error naming it', async () => {
    const response = await federation.query(contractOperation('staff-uncertainty'), { year: YEAR });
    expectOneErrorNaming(response, 'bochum');
    const { staffProgress, members } = response.body.data!.forum;
    expect(staffProgress.citiesReporting.map((city: { id: string }) => city.id)).not.toContain('bochum');
    expect(staffProgress.weightedEstimate).toEqual(expect.objectContaining({ level: 0.95 }));
    expect(staffProgress.provenanceMix.reduce((sum: number, entry: { cities: number }) => sum + entry.cities, 0)).toBe(staffProgress.citiesReporting.length);
    for (const member of members as Array<{ id: string; staff: { shareInterval: unknown } | null }>) {
      if (member.id === 'bochum') expect(member.staff).toBeNull();
      else if (member.id !== 'herne') expect(member.staff!.shareInterval).toEqual(expect.objectContaining({ level: 0.95 }));
    }
  });

  it('is listed as missing from forum-wide progress, with the reason', async () => {
    const document = contractOperation('forum-progress').replace(
      'citiesMissing {\n        id\n      }',
      'citiesMissing {\n        id\n      }\n      missing { municipality { id } reason }',
    );
    const response = await federation.query(document, { year: YEAR });
    expectOneErrorNaming(response, 'bochum');
    const progress = response.body.data!.forum.staffProgress;
    expect(progress.citiesMissing.map((city: { id: string }) => city.id)).toContain('bochum');
    expect(progress.citiesReporting.map((city: { id: string }) => city.id)).not.toContain('bochum');
    expect(progress.missing).toContainEqual({ municipality: { id: 'bochum' }, reason: 'UNAVAILABLE' });
    expect(progress.pooledShare).toBeGreaterThan(0);
    expect(response.body.data!.forum.members).toHaveLength(8);
  });

  it('refuses a submission to it, saying that nothing was written', async () => {
    const hr = federation.token({ roles: ['hr'], city: 'bochum' });
    const response = await federation.query(
      'mutation ($input: StaffFiguresInput!) { bochum: municipality(id: "bochum") { submitStaffFigures(input: $input) { staff { year } } } }',
      { input: { year: 2025, headcount: 100 } },
      { token: hr },
    );
    expectOneErrorNaming(response, 'bochum');
    expect(response.body.errors![0]!.extensions).toMatchObject({ writeOutcome: 'NOT_WRITTEN' });
    expect(response.body.data?.bochum ?? null).toBeNull();
  });

  it("does not affect another city's trend, and names itself in its own", async () => {
    const other = await federation.query(contractOperation('city-trend'), { id: 'duisburg', from: 2010, to: YEAR });
    expect(other.body.errors).toBeUndefined();
    expect(other.body.data!.municipality.staffSeries).toHaveLength(YEAR - 2010 + 1);

    const own = await federation.query(contractOperation('city-trend'), { id: 'bochum', from: 2010, to: YEAR });
    expectOneErrorNaming(own, 'bochum');
    expect(own.body.data!.municipality).toMatchObject({ id: 'bochum', name: 'Bochum', staffSeries: null });
  });
});
