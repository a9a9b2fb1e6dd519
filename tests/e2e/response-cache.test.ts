/**
 * The gateway's response cache (gateway/plugins/use-response-cache.ts): repeated questions are answered from memory, but never
 * with another audience's answer, never with figures older than the last write through the gateway, and with an
 * answer that missed a city only briefly (RESPONSE_CACHE_PARTIAL_TTL_MS).
 * Ground truth is the federation's own gateway as it ships (30 s, per audience), asked first; the gateway under test
 * caches for a minute. Schema under test: schema/supergraph.graphql, real processes and PostgreSQL.
 */
import { readFileSync } from 'node:fs';
import { OVERVIEW } from '../../gateway/dashboard/src/queries';
import { fromProjectRoot } from '../../services/common/project-root';
import { DEMO_YEARS } from '../../services/city/demo/demo-figures';
import { eventually } from '../support/contract-under-faults';
import { TestFederation, contractOperation, type GraphQLResponse } from '../support/federation';
import { parseLogLine, type ServiceProcess } from '../support/processes';

let federation: TestFederation;
let herne: ServiceProcess;
let cached: ServiceProcess;
const tokens: Record<string, string | undefined> = { anonymous: undefined };

beforeAll(async () => {
  federation = await TestFederation.start();
  herne = await federation.startExtraCity('herne', {});
  cached = await federation.startExtraGateway({ RESPONSE_CACHE_TTL_MS: '60000', SUBGRAPH_URL_HERNE: herne.url });
  tokens.member = federation.token({ sub: 'analyst', roles: ['member'] });
  tokens.hrDuisburg = federation.token({ sub: 'hr-duisburg', name: 'Petra Personal', roles: ['hr'], city: 'duisburg' });
  tokens.hrBochum = federation.token({ sub: 'hr-bochum', roles: ['hr'], city: 'bochum' });
  tokens.admin = federation.token({ sub: 'admin', roles: ['admin'] });
}, 120_000);

afterAll(async () => {
  await cached?.stop();
  await herne?.stop();
  await federation?.stop();
});

/** Unit breakdowns differ by audience: withheld for anonymous callers, suppressed for members, whole for Duisburg's HR. */
const BREAKDOWN = `query ($year: Int!) {
  duisburg: municipality(id: "duisburg") { staff(year: $year) { headcount byUnit { unit withMigrationHistory suppressed { field reason } } } }
}`;
const STAFF_2025 = `{ municipality(id: "duisburg") { staff(year: 2025) { headcount provenance { kind } } } }`;
const SUBMIT = `mutation ($input: StaffFiguresInput!) { duisburg: municipality(id: "duisburg") { submitStaffFigures(input: $input) { staff { headcount revision { number } } } } }`;

async function ask(url: string, document: string, variables: Record<string, unknown>, token?: string, language = 'de') {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'accept-language': language, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query: document, variables }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLResponse['body'] };
}

const servedFromCache = (answer: { headers: Headers }) => answer.headers.get('age') !== null;

describe('answers from memory', () => {
  it('answer a repeated question without asking the cities, and tell clients not to cache it themselves', async () => {
    const first = await ask(cached.url, contractOperation('city-comparison'), { year: 2023 });
    const statementsBefore = await federation.sqlStatements('duisburg');
    const second = await ask(cached.url, contractOperation('city-comparison'), { year: 2023 });
    expect(servedFromCache(first)).toBe(false);
    expect(servedFromCache(second)).toBe(true);
    expect(second.body).toEqual(first.body);
    expect(await federation.sqlStatements('duisburg')).toBe(statementsBefore);
    expect(second.headers.get('cache-control')).toBeNull();
  });

  it('keep other variables, operations and languages apart', async () => {
    await ask(cached.url, contractOperation('city-comparison'), { year: 2022 });
    expect(servedFromCache(await ask(cached.url, contractOperation('city-comparison'), { year: 2021 }))).toBe(false);
    expect(servedFromCache(await ask(cached.url, contractOperation('city-comparison'), { year: 2022 }, undefined, 'en'))).toBe(false);
  });
});

describe('warm-up', () => {
  it("plans the dashboard's queries before taking requests, so that its first visitor's answer is ready", async () => {
    const log = cached.output.map(parseLogLine).filter((entry) => entry !== undefined);
    const warmed = log.findIndex((entry) => entry.msg === 'query plans warmed');
    const manifest = JSON.parse(readFileSync(fromProjectRoot('dist', 'dashboard', 'operations.json'), 'utf8')) as { queries: string[] };
    // The year the dashboard opens on: the latest any member reported, here the demo data's last.
    expect(log[warmed]).toMatchObject({ operations: manifest.queries.length, year: DEMO_YEARS.to });
    expect(warmed).toBeLessThan(log.findIndex((entry) => entry.msg === 'gateway ready'));
    expect(log.filter((entry) => String(entry.msg).startsWith('warming a query plan failed'))).toEqual([]);

    const firstVisit = await ask(cached.url, OVERVIEW, { year: DEMO_YEARS.to });
    expect(servedFromCache(firstVisit)).toBe(true);
  });
});

describe('audiences', () => {
  const audiences = ['hrDuisburg', 'member', 'anonymous', 'hrBochum', 'admin'] as const;

  it('each audience gets exactly what the uncached gateway gives it, whoever asked first', async () => {
    const truth = new Map<string, GraphQLResponse['body']>();
    for (const audience of audiences) truth.set(audience, (await ask(federation.gatewayUrl, BREAKDOWN, { year: 2024 }, tokens[audience])).body);
    // The answers really differ, or this test could not tell them apart.
    expect(new Set([...truth.values()].map((body) => JSON.stringify(body))).size).toBeGreaterThanOrEqual(3);

    for (const round of [audiences, [...audiences].reverse()]) {
      for (const audience of round) {
        const answer = await ask(cached.url, BREAKDOWN, { year: 2024 }, tokens[audience]);
        expect({ audience, body: answer.body }).toEqual({ audience, body: truth.get(audience) });
      }
    }
    const again = await ask(cached.url, BREAKDOWN, { year: 2024 }, tokens.member);
    expect(servedFromCache(again)).toBe(true);
  });

  it('two users of the same audience share answers', async () => {
    const colleague = federation.token({ sub: 'another-analyst', roles: ['member'] });
    await ask(cached.url, BREAKDOWN, { year: 2019 }, tokens.member);
    expect(servedFromCache(await ask(cached.url, BREAKDOWN, { year: 2019 }, colleague))).toBe(true);
  });
});

describe('writes', () => {
  it('a submission through the gateway is seen by the next question, by every audience', async () => {
    const before = await ask(cached.url, STAFF_2025, {});
    await ask(cached.url, STAFF_2025, {}, tokens.member);
    expect(servedFromCache(await ask(cached.url, STAFF_2025, {}))).toBe(true);

    const submitted = await ask(cached.url, SUBMIT, { input: { year: 2025, headcount: 9_100, reason: 'survey 2025' } }, tokens.hrDuisburg);
    expect(submitted.body.errors).toBeUndefined();

    for (const token of [undefined, tokens.member]) {
      const after = await ask(cached.url, STAFF_2025, {}, token);
      expect(servedFromCache(after)).toBe(false);
      expect(after.body.data!.municipality.staff).toEqual({ headcount: 9_100, provenance: { kind: 'SUBMITTED' } });
    }
    expect(before.body.data!.municipality.staff).toBeNull();
  });

  it('a correction is seen at once too', async () => {
    await ask(cached.url, STAFF_2025, {});
    await ask(cached.url, SUBMIT, { input: { year: 2025, headcount: 9_200, correctsRevision: 1, reason: 'recount' } }, tokens.hrDuisburg);
    expect((await ask(cached.url, STAFF_2025, {})).body.data!.municipality.staff).toEqual({ headcount: 9_200, provenance: { kind: 'SUBMITTED' } });
  });
});

describe('a city that is missing', () => {
  // The shipped RESPONSE_CACHE_PARTIAL_TTL_MS (5 s) on this gateway; polled below, never timed.
  const comparison = () => ask(cached.url, contractOperation('city-comparison'), { year: 2020 });
  const missingCities = (answer: { body: GraphQLResponse['body'] }) => (answer.body.errors ?? []).map((error) => error.extensions?.city);

  it('an answer without it is kept briefly: served again from memory, naming the city and as of when it is missing', async () => {
    await herne.stop();
    const partial = await comparison();
    expect(servedFromCache(partial)).toBe(false);
    expect(partial.body.errors).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'CITY_UNAVAILABLE', city: 'herne', missingSince: expect.any(String) }) }),
    ]);
    const missingSince = partial.body.errors![0]!.extensions!.missingSince as string;
    expect(new Date(missingSince).toISOString()).toBe(missingSince);
    expect((partial.body.data!.forum.members as Array<{ id: string }>).length).toBe(8);

    const again = await comparison();
    expect(servedFromCache(again)).toBe(true);
    // The same answer, errors and all: it says the city is missing as of when the gateway found it missing.
    expect(again.body).toEqual(partial.body);
  });

  it('a committed write ends it, as it ends complete answers', async () => {
    await comparison();
    expect(servedFromCache(await comparison())).toBe(true);
    const latest = await ask(federation.gatewayUrl, `{ municipality(id: "duisburg") { staff(year: 2025) { revision { number } } } }`, {}, tokens.hrDuisburg);
    const revision = latest.body.data!.municipality.staff.revision.number as number;
    const corrected = await ask(cached.url, SUBMIT, { input: { year: 2025, headcount: 9_300, correctsRevision: revision, reason: 'recount' } }, tokens.hrDuisburg);
    expect(corrected.body.errors).toBeUndefined();

    const after = await comparison();
    expect(servedFromCache(after)).toBe(false);
    expect(missingCities(after)).toEqual(['herne']);
  });

  it('an answer missing it while its breaker knows it to be down is kept as long as a whole one: the breaker says when it is back', async () => {
    // A question not asked before each time, until one is answered by the open breaker (3 calls found Herne away).
    let knownDown: { year: number; body: GraphQLResponse['body'] } | undefined;
    for (let year = 2010; year <= 2018 && !knownDown; year++) {
      const answer = await ask(cached.url, contractOperation('city-comparison'), { year });
      if (answer.body.errors?.every((error) => error.extensions?.knownDown !== undefined)) knownDown = { year, body: answer.body };
    }
    expect(knownDown).toBeDefined();
    // Past the 5 s that an answer missing a city is kept otherwise (RESPONSE_CACHE_PARTIAL_TTL_MS).
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    const again = await ask(cached.url, contractOperation('city-comparison'), { year: knownDown!.year });
    expect(servedFromCache(again)).toBe(true);
    expect(again.body).toEqual(knownDown!.body);
  });

  it('once it is back and its answer is no longer kept, the answer is complete', async () => {
    herne = await federation.startExtraCity('herne', { PORT: new URL(herne.url).port });
    let complete: Awaited<ReturnType<typeof comparison>> | undefined;
    await eventually(
      async () => {
        const answer = await comparison();
        expect(answer.body.errors).toBeUndefined();
        complete = answer;
      },
      { attempts: 80 },
    );
    // No complete answer was kept in this generation before: the first one comes from the cities.
    expect(servedFromCache(complete!)).toBe(false);
  });
});
