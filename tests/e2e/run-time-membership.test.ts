/**
 * A city is configuration at run time (issue 12): a member added to the registry file, a join date corrected by an
 * administrator, a membership ended by removing the entry, each takes effect in the running hub within seconds, for
 * the gateway's routing, the forum and the city's own validation alike. Nothing is composed or restarted; only the
 * new city's own service is started.
 * Schema under test: the checked-in supergraph (forum and the one city subgraph), unchanged throughout.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eventually } from '../support/contract-under-faults';
import { contractOperation, type GraphQLResponse, type TestFederation } from '../support/federation';
import { freePort } from '../support/identity-provider';
import { ROOT, type ServiceProcess } from '../support/processes';
import { addMemberToRegistry, rewriteRegistry, startFederationWithForumAddress, startNewMemberCity } from '../support/run-time-members';

const SUPERGRAPH = path.join(ROOT, 'schema', 'supergraph.graphql');
const NEW_CITY = 'bottrop';
const MEMBERS = '{ forum { members { id memberSince } } }';
const SUBMIT_STAFF = `mutation ($id: ID!, $input: StaffFiguresInput!) {
  municipality(id: $id) { submitStaffFigures(input: $input) { staff { year headcount } replayed } }
}`;
const SET_MEMBERSHIP = `mutation ($input: MembershipInput!) { forum { setMembership(input: $input) { id memberSince membership { revision } } } }`;
// Changes take effect within seconds: the registry is polled every second and a city asks the forum again after
// 3 s (MEMBERSHIP_REFRESH_MS); up to 20 s of retries leaves room for a busy machine.
const WITHIN_SECONDS = { attempts: 80, pauseMs: 250 };

let workdir: string;
let membersFile: string;
let federation: TestFederation;
let newCity: ServiceProcess | undefined;
let forumAgain: ServiceProcess | undefined;
let supergraphBefore: Buffer;
let servicesBefore: Record<string, number | undefined>;

const codesOf = (response: GraphQLResponse) => response.body.errors?.map((error) => error.extensions?.code) ?? [];
const memberIds = async (): Promise<string[]> => {
  const response = await federation.query(MEMBERS);
  expect(response.body.errors).toBeUndefined();
  return response.body.data!.forum.members.map((member: { id: string }) => member.id);
};
/** The processes of the gateway and the forum: the same ones before and after every change. */
const runningServices = () => ({ gateway: federation.gateway.child.pid, forum: federation.subgraphs.get('forum')!.child.pid });

beforeAll(async () => {
  workdir = mkdtempSync(path.join(tmpdir(), 'ifh-run-time-membership-'));
  membersFile = path.join(workdir, 'members.json');
  copyFileSync(path.join(ROOT, 'schema', 'members.json'), membersFile);
  supergraphBefore = readFileSync(SUPERGRAPH);
  federation = await startFederationWithForumAddress(membersFile);
  servicesBefore = runningServices();
}, 180_000);

afterAll(async () => {
  await newCity?.stop();
  await forumAgain?.stop();
  await federation?.stop();
  if (workdir) rmSync(workdir, { recursive: true, force: true });
});

describe('a ninth city joins the running federation', () => {
  beforeAll(async () => {
    const port = await freePort();
    addMemberToRegistry(membersFile, path.join(workdir, 'generated'), { id: NEW_CITY, name: 'Bottrop', port, since: '2015-01-01' });
    newCity = await startNewMemberCity(federation, NEW_CITY, port);
  }, 120_000);

  it('is listed by the forum, without restarting it', async () => {
    await eventually(async () => {
      const ids = await memberIds();
      expect(ids).toContain(NEW_CITY);
      expect(ids).toHaveLength(9);
    }, WITHIN_SECONDS);
  });

  it('answers through the gateway with its figures, in the comparison of all cities', async () => {
    await eventually(async () => {
      const comparison = await federation.query(contractOperation('city-comparison'), { year: 2024 });
      expect(comparison.body.errors).toBeUndefined();
      const bottrop = comparison.body.data!.forum.members.find((member: { id: string }) => member.id === NEW_CITY);
      expect(bottrop).toMatchObject({ name: 'Bottrop', staff: { year: 2024, target: { kind: 'POPULATION_PARITY', share: 0.28 } } });
      expect(bottrop.staff.headcount).toBeGreaterThan(0);
    }, WITHIN_SECONDS);
  });

  it('counts in forum-wide progress from the year it joined', async () => {
    await eventually(async () => {
      const progress = await federation.query(contractOperation('forum-progress'), { year: 2024 });
      expect(progress.body.errors).toBeUndefined();
      expect(progress.body.data!.forum.staffProgress.citiesReporting.map((city: { id: string }) => city.id)).toContain(NEW_CITY);
    }, WITHIN_SECONDS);
  });

  it("takes its HR team's submissions, checked by its own service", async () => {
    await eventually(async () => {
      const accepted = await federation.query(SUBMIT_STAFF, { id: NEW_CITY, input: { year: 2025, headcount: 1_500 } }, { token: federation.token({ roles: ['hr'], city: NEW_CITY }) });
      expect(accepted.body.errors).toBeUndefined();
      expect(accepted.body.data!.municipality.submitStaffFigures).toEqual({ staff: { year: 2025, headcount: 1_500 }, replayed: false });
    }, WITHIN_SECONDS);
    // Before the year it joined (2015, by its registry entry), as for every member.
    const early = await federation.query(SUBMIT_STAFF, { id: NEW_CITY, input: { year: 2012, headcount: 1_500 } }, { token: federation.token({ roles: ['hr'], city: NEW_CITY }) });
    expect(early.body.errors?.map((error) => [error.extensions?.code, error.extensions?.field])).toEqual([['BAD_USER_INPUT', 'year']]);
  });

  it('took no composition and no restart: the same supergraph file, the same gateway and forum processes', () => {
    expect(readFileSync(SUPERGRAPH).equals(supergraphBefore)).toBe(true);
    expect(runningServices()).toEqual(servicesBefore);
    expect(federation.gateway.running && federation.subgraphs.get('forum')!.running).toBe(true);
  });
});

describe("an administrator moves a city's join date earlier", () => {
  // Gelsenkirchen joined in 2014 by the registry; the demo data starts in 2010, so 2009 holds no revision yet.
  const city = 'gelsenkirchen';
  const year = 2009;
  const submit = () =>
    federation.query(SUBMIT_STAFF, { id: city, input: { year, headcount: 4_000, source: 'Personalstatistik 2009' } }, { token: federation.token({ roles: ['hr'], city }) });

  it('refuses the year before the correction, naming the year', async () => {
    const refused = await submit();
    expect(codesOf(refused)).toEqual(['BAD_USER_INPUT']);
    expect(refused.body.errors![0]!.extensions).toMatchObject({ field: 'year' });
  });

  it("accepts that year's figures from the city's HR team once the forum has the correction", async () => {
    const correction = { memberId: city, since: '2009-01-01', precision: 'YEAR', source: 'Protokoll des Forums 2009', correctsRevision: 0, reason: 'Beitritt in den Protokollen gefunden' };
    const corrected = await federation.query(SET_MEMBERSHIP, { input: correction }, { token: federation.token({ roles: ['admin'] }) });
    expect(corrected.body.errors).toBeUndefined();
    expect(corrected.body.data!.forum.setMembership).toEqual({ id: city, memberSince: '2009-01-01', membership: { revision: 1 } });

    await eventually(async () => {
      const accepted = await submit();
      expect(accepted.body.errors).toBeUndefined();
      expect(accepted.body.data!.municipality.submitStaffFigures).toEqual({ staff: { year, headcount: 4_000 }, replayed: false });
    }, WITHIN_SECONDS);
    expect(runningServices()).toEqual(servicesBefore);
  });
});

describe('a membership ends when its entry leaves the registry file', () => {
  beforeAll(() => {
    rewriteRegistry(membersFile, (registry) => {
      registry.members = registry.members.filter((member) => member.id !== NEW_CITY);
    });
  });

  it('is no longer listed by the forum', async () => {
    await eventually(async () => {
      const ids = await memberIds();
      expect(ids).not.toContain(NEW_CITY);
      expect(ids).toHaveLength(8);
    }, WITHIN_SECONDS);
  });

  it('takes no more writes: one routed to it is NOT_FOUND', async () => {
    await eventually(async () => {
      // An administrator's token, valid whatever the members: the write is refused by where it is routed.
      const write = await federation.query(SUBMIT_STAFF, { id: NEW_CITY, input: { year: 2025, headcount: 100 } }, { token: federation.token({ roles: ['admin'] }) });
      expect(codesOf(write)).toEqual(['NOT_FOUND']);
      expect(write.body.data?.municipality ?? null).toBeNull();
    }, WITHIN_SECONDS);
  });

  it("no longer takes its HR team's tokens, which name a city that is no member", async () => {
    const write = await federation.query(SUBMIT_STAFF, { id: NEW_CITY, input: { year: 2025, headcount: 100 } }, { token: federation.token({ roles: ['hr'], city: NEW_CITY }) });
    expect(codesOf(write)).toEqual(['UNAUTHENTICATED']);
  });

  it('left the supergraph file and the running gateway and forum as they were', () => {
    expect(readFileSync(SUPERGRAPH).equals(supergraphBefore)).toBe(true);
    expect(runningServices()).toEqual(servicesBefore);
  });
});

describe('while the forum is down', () => {
  const city = 'gelsenkirchen';
  const cityLog = () => federation.subgraphs.get(city)!.output.join('\n');
  // Refused for its headcount alone: the city checks the year against the join date it knows, and writes nothing.
  const probe = () =>
    federation.query(SUBMIT_STAFF, { id: city, input: { year: 2009, headcount: -1, correctsRevision: 1, reason: 'probe' } }, { token: federation.token({ roles: ['hr'], city }) });

  beforeAll(async () => {
    await federation.subgraphs.get('forum')!.stop();
  });

  it('a city keeps the corrected join date it last had from the forum', async () => {
    await eventually(async () => {
      const refused = await probe();
      expect(refused.body.errors!.map((error) => [error.extensions?.code, error.extensions?.field])).toEqual([['BAD_USER_INPUT', 'headcount']]);
      expect(cityLog()).toContain('the forum does not answer about the membership');
    }, WITHIN_SECONDS);
  });

  it('and asks it again once it is back', async () => {
    // The same settings and port as before: where the gateway and the cities look for the forum.
    forumAgain = await federation.startExtraForum({ PORT: new URL(federation.subgraphs.get('forum')!.url).port });
    await eventually(async () => {
      await probe();
      expect(cityLog()).toContain('the forum answers about the membership again');
    }, WITHIN_SECONDS);
  });
});
