/**
 * Hubs nest (docs/routing.md): a regional hub's member router stands in front of some cities, and the top hub
 * reaches those cities through it. Each city trusts only the hub directly in front of it; the viewer passes through
 * unchanged; a regional hub that is down is reported city by city. Forum, cities, routers and gateways as separate
 * processes over HTTP, on a fresh PostgreSQL database with the demo data. Schema under test: schema/supergraph.graphql.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WRITE_COMMITTED_HEADER } from '../../services/common/write-receipt';
import { TestFederation, contractOperation, type GraphQLResponse } from '../support/federation';
import { freePort } from '../support/identity-provider';
import {
  addressesOf,
  hubCredential,
  hubWriteCredential,
  jwksUrl,
  membersFile,
  MUNICIPALITY_ENTITIES,
  municipalityRepresentations,
  startMemberRouter,
  subgraphRequest,
} from '../support/member-router';
import type { ServiceProcess } from '../support/processes';
import { writeKeyFile } from '../support/tokens';

/** The cities of the regional hub: Herne also stands for a city that records nationality only. */
const REGIONAL = ['bochum', 'herne'] as const;
const YEAR = 2024;

/** The query contract's four operations, each city's trend asked of a regional city and of one reached directly. */
const CONTRACT: Array<[name: Parameters<typeof contractOperation>[0], variables: Record<string, unknown>]> = [
  ['forum-progress', { year: YEAR }],
  ['city-comparison', { year: YEAR }],
  ['staff-uncertainty', { year: YEAR }],
  ['city-trend', { id: 'bochum', from: 2010, to: YEAR }],
  ['city-trend', { id: 'herne', from: 2010, to: YEAR }],
  ['city-trend', { id: 'duisburg', from: 2010, to: YEAR }],
];

let federation: TestFederation;
let keyDir: string;
let regionalKey: string;
const regionalCities: Record<string, ServiceProcess> = {};
let regionalRouter: ServiceProcess;
let topGateway: ServiceProcess;
/** What the federation's own gateway answers with every city reached directly, before any hub is nested. */
const direct = new Map<number, GraphQLResponse>();

beforeAll(async () => {
  federation = await TestFederation.start();
  for (const [index, [name, variables]] of CONTRACT.entries()) direct.set(index, await federation.query(contractOperation(name), variables));

  keyDir = mkdtempSync(path.join(tmpdir(), 'ifh-regional-'));
  regionalKey = writeKeyFile(path.join(keyDir, 'regional-router.jwk.json'));
  // The cities must know where their hub serves its key before it starts: it needs their addresses to start.
  const regionalPort = await freePort();
  for (const id of REGIONAL) {
    // The regional cities' own processes (on the same database) trust only the regional router's key.
    regionalCities[id] = await federation.startExtraCity(id, { GATEWAY_JWKS_URL: `http://127.0.0.1:${regionalPort}/.well-known/jwks.json` });
  }
  regionalRouter = await startMemberRouter('regional-router', {
    PORT: String(regionalPort),
    MEMBERS_FILE: membersFile({ only: REGIONAL }),
    ROUTER_KEY_FILE: regionalKey,
    // It takes requests from the top hub: every gateway of the test federation signs with the one gateway key,
    // whose public half the federation's gateway serves.
    GATEWAY_JWKS_URL: jwksUrl(federation.gateway),
    ...addressesOf(regionalCities),
  });
  // The top hub's directory points the regional cities at the regional hub.
  topGateway = await federation.startExtraGateway(addressesOf({ bochum: regionalRouter, herne: regionalRouter }));
}, 180_000);

afterAll(async () => {
  await topGateway?.stop();
  await regionalRouter?.stop();
  await Promise.all(Object.values(regionalCities).map((city) => city.stop()));
  await federation?.stop();
  if (keyDir) rmSync(keyDir, { recursive: true, force: true });
});

describe('a city behind a regional hub', () => {
  it.each(CONTRACT.map(([name, variables], index) => [name, JSON.stringify(variables), index] as const))(
    'answers %s (%s) through the top gateway exactly as when reached directly',
    async (name, variables, index) => {
      const nested = await federation.query(contractOperation(name), JSON.parse(variables) as Record<string, unknown>, { url: topGateway.url });
      expect(direct.get(index)!.body.errors).toBeUndefined();
      expect(nested.status).toBe(200);
      expect(nested.body).toEqual(direct.get(index)!.body);
    },
  );

  it('trusts only the hub directly in front of it', async () => {
    const question = [MUNICIPALITY_ENTITIES, municipalityRepresentations('bochum')] as const;
    const fromTopHub = await subgraphRequest(regionalCities.bochum!.url, hubCredential(federation.keys.gateway, 'bochum'), ...question);
    expect(fromTopHub.status).toBe(401);
    expect(fromTopHub.body.errors![0]!.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'gateway-credential-invalid' });
    const fromRegionalHub = await subgraphRequest(regionalCities.bochum!.url, hubCredential(regionalKey, 'bochum'), ...question);
    expect(fromRegionalHub.status).toBe(200);
    expect(fromRegionalHub.body.data!._entities[0].staffSeries).toHaveLength(5);
  });

  it("takes the hub's credential for one member for that member's parts only", async () => {
    const reply = await subgraphRequest(
      regionalRouter.url,
      hubCredential(federation.keys.gateway, 'bochum'),
      MUNICIPALITY_ENTITIES,
      municipalityRepresentations('bochum', 'herne'),
    );
    expect(reply.body.data!._entities[0].id).toBe('bochum');
    expect(reply.body.data!._entities[1]).toBeNull();
    expect(reply.body.errors).toEqual([expect.objectContaining({ path: ['_entities', 1], extensions: expect.objectContaining({ code: 'FORBIDDEN', city: 'herne' }) })]);
  });

  it("takes a credential for several members (a hub's one call for all of them) for exactly those", async () => {
    const reply = await subgraphRequest(
      regionalRouter.url,
      hubCredential(federation.keys.gateway, ['bochum', 'duisburg']),
      MUNICIPALITY_ENTITIES,
      municipalityRepresentations('herne', 'bochum'),
    );
    expect(reply.body.data!._entities[0]).toBeNull();
    expect(reply.body.data!._entities[1].id).toBe('bochum');
    expect(reply.body.errors).toEqual([expect.objectContaining({ path: ['_entities', 0], extensions: expect.objectContaining({ code: 'FORBIDDEN', city: 'herne' }) })]);
  });

  it("refuses, at a city, a credential addressed to several members that it is not among", async () => {
    const question = [MUNICIPALITY_ENTITIES, municipalityRepresentations('bochum')] as const;
    const elsewhere = await subgraphRequest(regionalCities.bochum!.url, hubCredential(regionalKey, ['herne', 'duisburg']), ...question);
    expect(elsewhere.status).toBe(401);
    expect(elsewhere.body.errors![0]!.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'gateway-credential-invalid' });
    const amongThem = await subgraphRequest(regionalCities.bochum!.url, hubCredential(regionalKey, ['herne', 'bochum']), ...question);
    expect(amongThem.status).toBe(200);
    expect(amongThem.body.data!._entities[0].id).toBe('bochum');
  });
});

describe('a write to a city behind a regional hub', () => {
  const SUBMIT = `mutation ($id: ID!, $input: StaffFiguresInput!) {
    municipality(id: $id) { submitStaffFigures(input: $input) { replayed staff { year headcount revision { number submittedBy } } } }
  }`;
  const hr = { sub: 'hr-bochum', name: 'Petra Personal', roles: ['hr'], city: 'bochum', locale: 'de' as const };

  it("reaches the city with the writer's identity, and tells the caller that it was committed", async () => {
    // Keys in sorted order: the credential's digest is over them in that order (hubWriteCredential).
    const operation = { query: SUBMIT, variables: { id: 'bochum', input: { headcount: 9000, respondents: 5000, withMigrationHistory: 1000, year: 2025 } } };
    const reply = await subgraphRequest(regionalRouter.url, hubWriteCredential(federation.keys.gateway, 'city', hr, operation), operation.query, operation.variables);
    expect(reply.body.errors).toBeUndefined();
    expect(reply.body.data!.municipality.submitStaffFigures.staff).toEqual({ year: 2025, headcount: 9000, revision: { number: 1, submittedBy: 'Petra Personal' } });
    // What the gateway ends its shared reads and starts a new cache generation by.
    expect(reply.headers.get(WRITE_COMMITTED_HEADER)).toBe('1');
  });

  it('is written through the top gateway and read back through it', async () => {
    const token = federation.token({ sub: 'hr-bochum', name: 'Petra Personal', roles: ['hr'], city: 'bochum' });
    const correction = await federation.query(
      SUBMIT,
      { id: 'bochum', input: { year: 2025, headcount: 9100, respondents: 5000, withMigrationHistory: 1000, correctsRevision: 1, reason: 'Nachmeldung' } },
      { token, url: topGateway.url },
    );
    expect(correction.body.errors).toBeUndefined();
    expect(correction.body.data!.municipality.submitStaffFigures.staff.revision).toEqual({ number: 2, submittedBy: 'Petra Personal' });
    const readBack = await federation.query('{ municipality(id: "bochum") { staffSeries(from: 2025, to: 2025) { year headcount } } }', {}, { url: topGateway.url });
    expect(readBack.body.data!.municipality.staffSeries).toEqual([{ year: 2025, headcount: 9100 }]);
  });
});

describe('a hub in front of the regional hub', () => {
  let topRouter: ServiceProcess;

  beforeAll(async () => {
    // Its registry points the regional cities at the regional hub (`endpoint`); it signs with the key the regional hub
    // trusts (on one machine, by default, the gateway key: ROUTER_KEY_FILE falls back to GATEWAY_KEY_FILE).
    topRouter = await startMemberRouter('top-router', {
      MEMBERS_FILE: membersFile({ endpoints: { bochum: regionalRouter.url, herne: regionalRouter.url } }),
      GATEWAY_KEY_FILE: federation.keys.gateway,
      SUBGRAPH_URL_DUISBURG: federation.subgraphs.get('duisburg')!.url,
    });
  });

  afterAll(async () => {
    await topRouter?.stop();
  });

  it('routes the regional cities there and the others to their own services, in one answer', async () => {
    const credential = hubCredential(federation.keys.gateway, 'city');
    const reply = await subgraphRequest(topRouter.url, credential, MUNICIPALITY_ENTITIES, municipalityRepresentations('herne', 'duisburg', 'bochum'));
    expect(reply.body.errors).toBeUndefined();
    const viaRegional = await subgraphRequest(regionalRouter.url, credential, MUNICIPALITY_ENTITIES, municipalityRepresentations('herne', 'bochum'));
    const duisburg = await subgraphRequest(
      federation.subgraphs.get('duisburg')!.url,
      hubCredential(federation.keys.gateway, 'duisburg'),
      MUNICIPALITY_ENTITIES,
      municipalityRepresentations('duisburg'),
    );
    const [herne, bochum] = viaRegional.body.data!._entities;
    expect(reply.body.data!._entities).toEqual([herne, duisburg.body.data!._entities[0], bochum]);
  });

  it('answers _service with the city subgraph SDL', async () => {
    const reply = await subgraphRequest(topRouter.url, hubCredential(federation.keys.gateway, 'city'), '{ _service { sdl } }');
    expect(reply.body.data!._service.sdl).toContain('type Municipality');
  });
});

describe('a regional hub that is down', () => {
  it('reports itself ready while it runs, and stops cleanly on SIGTERM', async () => {
    const ready = await fetch(new URL('/ready', regionalRouter.url));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ service: 'router', status: 'ok', members: REGIONAL.length });
    await regionalRouter.stop('SIGTERM');
    expect(await regionalRouter.exited).toBe(0);
    expect(regionalRouter.output.join('\n')).toContain('router stopped');
  });

  it('leaves one CITY_UNAVAILABLE for each of its cities, and every other city answering', async () => {
    const response = await federation.query(contractOperation('city-comparison'), { year: YEAR }, { url: topGateway.url });
    expect(response.status).toBe(200);
    const unavailable = response.body.errors!.filter((error) => error.extensions?.code === 'CITY_UNAVAILABLE').map((error) => error.extensions!.city as string);
    expect(unavailable.sort()).toEqual([...REGIONAL]);
    expect(response.body.errors).toHaveLength(REGIONAL.length);
    for (const member of response.body.data!.forum.members as Array<{ id: string; staff: unknown }>) {
      if ((REGIONAL as readonly string[]).includes(member.id)) expect(member.staff).toBeNull();
      else expect(member.staff).toEqual(expect.objectContaining({ year: YEAR }));
    }
  });
});
