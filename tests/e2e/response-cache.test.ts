/**
 * The gateway's response cache (gateway/plugins/use-response-cache.ts): repeated questions are answered from memory, but never
 * with another audience's answer, never with figures older than the last write through the gateway, and never
 * with an answer that missed a city.
 * Ground truth is the federation's own gateway, which caches nothing (RESPONSE_CACHE_TTL_MS=0); the gateway
 * under test caches for a minute. Schema under test: schema/supergraph.graphql, real processes and PostgreSQL.
 */
import { readFileSync } from 'node:fs';
import { OVERVIEW } from '../../gateway/dashboard/src/queries';
import { fromProjectRoot } from '../../services/common/project-root';
import { DEMO_YEARS } from '../../services/city/demo/demo-figures';
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
  it('an answer without it is not kept: once it is back, the next answer is complete', async () => {
    await herne.stop();
    const partial = await ask(cached.url, contractOperation('city-comparison'), { year: 2020 });
    expect(partial.body.errors!.map((error) => error.extensions?.city)).toEqual(['herne']);

    herne = await federation.startExtraCity('herne', { PORT: new URL(herne.url).port });
    const complete = await ask(cached.url, contractOperation('city-comparison'), { year: 2020 });
    expect(complete.body.errors).toBeUndefined();
    expect(servedFromCache(complete)).toBe(false);
  });
});
