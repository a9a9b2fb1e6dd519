/**
 * Abuse changes nothing for others. Writes that anyone can send, and that are refused, neither empty the gateway's
 * response cache nor end the sharing of reads in flight: only a write a subgraph committed does (its answer says so
 * in `ifh-write-committed`), or one whose answer was lost and whose sender could have written. No subgraph reads an
 * import file before it has checked the caller's role. Every refused write that reaches a city is in its audit
 * log, or the request fails; and what anonymous callers can add to an audit log is bounded.
 * The gateway runs with the shipped defaults (response cache on, rate limits on), unlike the other suites.
 * Schema under test: schema/supergraph.graphql, real processes and PostgreSQL; Essen's database is reached through a
 * proxy that can slow it down or refuse it.
 */
import { ADMIN_DATABASE_URL } from '../support/database';
import { TestFederation, contractOperation, type GraphQLResponse } from '../support/federation';
import type { ServiceProcess } from '../support/processes';
import { TcpProxy, databaseUrlVia } from '../support/tcp-proxy';

const SLOW_CITY = 'essen';
const CURRENT_YEAR = new Date().getUTCFullYear();

let federation: TestFederation;
let databaseProxy: TcpProxy;
const tokens: Record<string, string | undefined> = { anonymous: undefined };

beforeAll(async () => {
  const postgres = new URL(ADMIN_DATABASE_URL);
  databaseProxy = await TcpProxy.start({ host: postgres.hostname, port: Number(postgres.port || 5432) });
  federation = await TestFederation.start({
    gatewayEnv: {
      // A slowed database must not make the gateway give up on Essen (only where a test wants it to).
      SUBGRAPH_TIMEOUT_MS_ESSEN: '20000',
    },
    cityEnv: { [SLOW_CITY]: (databaseUrl) => ({ DATABASE_URL: databaseUrlVia(databaseUrl, databaseProxy.address) }) },
  });
  tokens.member = federation.token({ sub: 'analyst', roles: ['member'] });
  tokens.admin = federation.token({ sub: 'admin', roles: ['admin'] });
  tokens.hrDuisburg = federation.token({ sub: 'hr-duisburg', roles: ['hr'], city: 'duisburg' });
  tokens.hrBochum = federation.token({ sub: 'hr-bochum', roles: ['hr'], city: 'bochum' });
  tokens.hrEssen = federation.token({ sub: 'hr-essen', roles: ['hr'], city: 'essen' });
}, 120_000);

afterAll(async () => {
  await federation?.stop();
  await databaseProxy?.stop();
});

afterEach(() => databaseProxy.forward());

interface Answer {
  status: number;
  headers: Headers;
  body: GraphQLResponse['body'];
}

async function ask(document: string, variables: Record<string, unknown> = {}, token?: string, url = federation.gatewayUrl): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'accept-language': 'en', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query: document, variables }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLResponse['body'] };
}

const codes = (answer: Answer) => (answer.body.errors ?? []).map((error) => error.extensions?.code);
const servedFromCache = (answer: Answer) => answer.headers.get('age') !== null;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the city has sent a statement beyond `count`: a read has reached its database. */
async function untilStatementsAbove(city: string, count: number): Promise<void> {
  while ((await federation.sqlStatements(city)) <= count) await sleep(20);
}

const submitStaff = (city: string) => `mutation ($input: StaffFiguresInput!) { ${city}: municipality(id: "${city}") { submitStaffFigures(input: $input) { staff { headcount } replayed } } }`;
const SUBMIT_TRAINEES = (city: string) => `mutation ($input: TraineeIntakeInput!) { ${city}: municipality(id: "${city}") { submitTraineeIntake(input: $input) { trainees { intake } } } }`;
const SUBMIT_NEW_HIRES = `mutation ($input: NewHiresInput!) { duisburg: municipality(id: "duisburg") { submitNewHires(input: $input) { newHires { total } } } }`;
const SET_TARGET = `mutation ($input: CommitmentTargetInput!) { forum { setCommitmentTarget(input: $input) { id targetShare } } }`;
const IMPORT = `mutation ($csv: String!, $key: String) {
  duisburg: municipality(id: "duisburg") { importFigures(csv: $csv, idempotencyKey: $key) { accepted revisionsWritten problems { row field code } } }
}`;
const staffFigures = { year: 2025, headcount: 9_500, respondents: 5_600, withMigrationHistory: 1_200 };

/**
 * What anyone can send, and what is refused: submissions to Duisburg without a token and with the wrong roles, and
 * changes of the forum's commitments without a token. Each is checked to be the refusal it should be.
 */
async function refusedWrites(times: number): Promise<void> {
  const attempts: Array<[Promise<Answer>, string]> = [];
  for (let round = 0; round < times; round++) {
    attempts.push([ask(submitStaff('duisburg'), { input: staffFigures }), 'UNAUTHENTICATED']);
    if (round % 2 === 0) attempts.push([ask(submitStaff('duisburg'), { input: staffFigures }, tokens.member), 'FORBIDDEN']);
    if (round % 4 === 0) attempts.push([ask(submitStaff('duisburg'), { input: staffFigures }, tokens.hrBochum), 'FORBIDDEN']);
    if (round % 4 === 0) {
      const target = { commitmentId: 'staff-share', targetKind: 'FIXED', targetShare: 0.5, correctsRevision: 1, reason: 'takeover' };
      attempts.push([ask(SET_TARGET, { input: target }), 'UNAUTHENTICATED']);
    }
  }
  const answers = await Promise.all(attempts.map(([answer]) => answer));
  expect(answers.map(codes)).toEqual(attempts.map(([, code]) => [code]));
}

describe('refused writes change nothing for the readers', () => {
  it('a read cached before a flood of refused writes is still served from the cache, without asking the cities', async () => {
    const question = contractOperation('city-comparison');
    const first = await ask(question, { year: 2023 });
    expect(servedFromCache(await ask(question, { year: 2023 }))).toBe(true);
    const statementsBefore = await federation.sqlStatements('herne');

    await refusedWrites(30);

    const after = await ask(question, { year: 2023 });
    expect(servedFromCache(after)).toBe(true);
    expect(after.body).toEqual(first.body);
    expect(await federation.sqlStatements('herne')).toBe(statementsBefore);
  });

  it('a read in flight is still shared with the same read sent after refused writes were answered', async () => {
    const question = `query ($year: Int!) { municipality(id: "${SLOW_CITY}") { staff(year: $year) { headcount share } } }`;
    // What one call for this question costs Essen, asked for another year.
    const costBefore = await federation.sqlStatements(SLOW_CITY);
    await ask(question, { year: 2020 });
    const oneCall = (await federation.sqlStatements(SLOW_CITY)) - costBefore;
    expect(oneCall).toBeGreaterThan(0);

    const before = await federation.sqlStatements(SLOW_CITY);
    databaseProxy.slow(2_000);
    let earlierAnswered = false;
    const earlier = ask(question, { year: 2021 }).finally(() => (earlierAnswered = true));
    await untilStatementsAbove(SLOW_CITY, before);

    await refusedWrites(10);
    // The read sent first is still waiting for its answer, so the one sent now can join it.
    expect(earlierAnswered).toBe(false);
    const later = await ask(question, { year: 2021 });

    expect((await earlier).body).toEqual(later.body);
    expect(later.body.errors).toBeUndefined();
    expect((await federation.sqlStatements(SLOW_CITY)) - before).toBe(oneCall);
  });
});

describe('a committed write ends both', () => {
  it('after an accepted submission the next read is fresh: not from the cache, and not joined to a call in flight', async () => {
    const question = `{ municipality(id: "${SLOW_CITY}") { staffSeries(from: ${CURRENT_YEAR}, to: ${CURRENT_YEAR}) { year headcount } } }`;
    const submit = (headcount: number, correctsRevision?: number) =>
      ask(submitStaff(SLOW_CITY), { input: { year: CURRENT_YEAR, headcount, reason: 'abuse test', ...(correctsRevision ? { correctsRevision } : {}) } }, tokens.hrEssen);
    expect((await submit(9_000)).body.errors).toBeUndefined();
    await ask(question);
    const cached = await ask(question);
    expect(servedFromCache(cached)).toBe(true);
    expect(cached.body.data!.municipality.staffSeries).toEqual([{ year: CURRENT_YEAR, headcount: 9_000 }]);

    // A member's read (an audience not cached yet) whose question reaches the database 2 s late and whose answer,
    // on its way back by 2.5 s, is held another 2 s: it has read, and is still in flight, when the write is answered.
    databaseProxy.slow(2_000);
    const earlier = ask(question, {}, tokens.member);
    await sleep(2_500);
    databaseProxy.forward();
    expect((await submit(9_001, 1)).body.errors).toBeUndefined();

    const laterAnonymous = await ask(question);
    const laterMember = await ask(question, {}, tokens.member);
    expect(servedFromCache(laterAnonymous)).toBe(false);
    expect(laterAnonymous.body.data!.municipality.staffSeries).toEqual([{ year: CURRENT_YEAR, headcount: 9_001 }]);
    expect(laterMember.body.data!.municipality.staffSeries).toEqual([{ year: CURRENT_YEAR, headcount: 9_001 }]);
    // The earlier read had the figures as they were: a later read that joined it would have got them.
    expect((await earlier).body.data!.municipality.staffSeries).toEqual([{ year: CURRENT_YEAR, headcount: 9_000 }]);
  });

  it("an administrator's change of a commitment target is seen by the next read", async () => {
    const question = `{ forum { commitments { id targetShare } } }`;
    const share = async () => {
      const answer = await ask(question);
      return { cached: servedFromCache(answer), share: answer.body.data!.forum.commitments.find((each: { id: string }) => each.id === 'trainee-share').targetShare };
    };
    await share();
    expect(await share()).toEqual({ cached: true, share: null });
    const change = await ask(SET_TARGET, { input: { commitmentId: 'trainee-share', targetKind: 'FIXED', targetShare: 0.3, correctsRevision: 1, reason: 'Forumsbeschluss' } }, tokens.admin);
    expect(change.body.errors).toBeUndefined();
    expect(await share()).toEqual({ cached: false, share: 0.3 });
  });
});

describe('a write whose answer was lost', () => {
  let lossy: ServiceProcess;

  beforeAll(async () => {
    lossy = await federation.startExtraGateway({
      // Gives up on Essen after 1 s, so that a write to its slowed database is delivered and its answer lost.
      SUBGRAPH_TIMEOUT_MS_ESSEN: '1000',
      // Breaker off: the three answers lost in a row would open it; this test is about the cache (circuit-breaker.test.ts covers it).
      SUBGRAPH_BREAKER_FAILURES: '0',
    });
  });
  afterAll(() => lossy.stop());

  it('ends the cache only when its sender could have written: not for anonymous callers or members, for an HR team', async () => {
    const question = `{ municipality(id: "${SLOW_CITY}") { staff(year: 2019) { headcount } } }`;
    await ask(question, {}, undefined, lossy.url);
    expect(servedFromCache(await ask(question, {}, undefined, lossy.url))).toBe(true);

    databaseProxy.slow(1_500);
    const trainees = { year: CURRENT_YEAR, intake: 120, reason: 'lost answer' };
    for (const token of [undefined, tokens.member]) {
      const lost = await ask(SUBMIT_TRAINEES(SLOW_CITY), { input: trainees }, token, lossy.url);
      expect(lost.body.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'CITY_UNAVAILABLE', writeOutcome: 'UNKNOWN' }) })]);
      expect(servedFromCache(await ask(question, {}, undefined, lossy.url))).toBe(true);
    }

    const lost = await ask(SUBMIT_TRAINEES(SLOW_CITY), { input: trainees }, tokens.hrEssen, lossy.url);
    expect(lost.body.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'CITY_UNAVAILABLE', writeOutcome: 'UNKNOWN' }) })]);
    databaseProxy.forward();
    // The write goes on at the city after the gateway gave up; once it has ended, the next read must show it.
    while ((await federation.database.query(`SELECT 1 FROM city_${SLOW_CITY}.audit_log WHERE actor_subject = 'hr-essen' AND target->>'kind' = 'traineeIntake'`)).length === 0) {
      await sleep(50);
    }
    const fresh = await ask(question, {}, undefined, lossy.url);
    expect(servedFromCache(fresh)).toBe(false);
    expect(fresh.body.errors).toBeUndefined();
  });
});

describe('no argument is looked at before the role is checked', () => {
  /** 1.5 MiB that no CSV parser accepts: a quote opened in the second line and never closed. */
  const malformed = `Art;Jahr;Anzahl\n"Auszubildende;${CURRENT_YEAR};${'1;'.repeat(800_000)}\n`;

  it('an import of a malformed 1.5 MiB file is refused UNAUTHENTICATED without a token and FORBIDDEN to a member, never with a CSV error', async () => {
    expect(malformed.length).toBeGreaterThan(1.5 * 1024 * 1024);
    const audited = await auditedDuring('city_duisburg', async () => {
      for (const [token, code] of [[undefined, 'UNAUTHENTICATED'], [tokens.member, 'FORBIDDEN']] as const) {
        const answer = await ask(IMPORT, { csv: malformed }, token);
        expect(answer.body.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code }) })]);
        expect(answer.body.data!.duisburg).toBeNull();
      }
    });
    // The refusals are logged with the file's size only: rows and years would have taken reading it.
    expect(audited).toEqual([
      expect.objectContaining({ outcome: 'UNAUTHENTICATED', action: 'importFigures', target: { characters: malformed.length } }),
      expect.objectContaining({ outcome: 'FORBIDDEN', action: 'importFigures', target: { characters: malformed.length } }),
    ]);

    // The city's HR team, who may import, is told what is wrong with the file.
    const read = await ask(IMPORT, { csv: malformed }, tokens.hrDuisburg);
    expect(read.body.data!.duisburg.importFigures).toMatchObject({ accepted: false, problems: [{ field: 'csv', code: 'BAD_USER_INPUT' }] });
  });
});

type AuditRow = {
  outcome: string;
  actor_subject: string;
  action: string;
  target: Record<string, unknown>;
};

/** The audit entries a service wrote while `act` ran, oldest first. */
async function auditedDuring(schema: string, act: () => Promise<unknown>): Promise<AuditRow[]> {
  const [before] = await federation.database.query<{ id: string }>(`SELECT coalesce(max(id), 0)::text AS id FROM ${schema}.audit_log`);
  await act();
  return federation.database.query<AuditRow>(`SELECT outcome, actor_subject, action, target FROM ${schema}.audit_log WHERE id > $1::bigint ORDER BY id`, [before!.id]);
}

describe('every refused write that reaches a city is in its audit log, or the request fails', () => {
  const HEADER = 'Art;Jahr;Organisationseinheit;Beschäftigte;Befragte;mit Zuwanderungsgeschichte;Zielgruppe;geschult;korrigierte Revision;Begründung';

  beforeAll(async () => {
    // Accepted writes whose idempotency keys the refusals below reuse for other content.
    const trainees = await ask(SUBMIT_TRAINEES('duisburg'), { input: { year: CURRENT_YEAR, intake: 80, idempotencyKey: 'abuse-trainees' } }, tokens.hrDuisburg);
    expect(trainees.body.errors).toBeUndefined();
    const imported = await ask(IMPORT, { csv: `${HEADER}\nSchulung;${CURRENT_YEAR};jobcenter;;;;100;40;;\n`, key: 'abuse-import' }, tokens.hrDuisburg);
    expect(imported.body.data!.duisburg.importFigures).toMatchObject({ accepted: true });
  });

  it.each<[string, string, string, () => Promise<Answer>]>([
    ['no token', 'UNAUTHENTICATED', 'UNAUTHENTICATED', () => ask(submitStaff('duisburg'), { input: staffFigures })],
    ["a member's token", 'FORBIDDEN', 'FORBIDDEN', () => ask(submitStaff('duisburg'), { input: staffFigures }, tokens.member)],
    ["another city's HR team", 'FORBIDDEN', 'FORBIDDEN', () => ask(submitStaff('duisburg'), { input: staffFigures }, tokens.hrBochum)],
    ['a refused value', 'BAD_USER_INPUT', 'REFUSED', () => ask(SUBMIT_NEW_HIRES, { input: { year: 1990, total: 5 } }, tokens.hrDuisburg)],
    ['a second "first" submission', 'CONFLICT', 'CONFLICT', () => ask(submitStaff('duisburg'), { input: { ...staffFigures, year: 2024 } }, tokens.hrDuisburg)],
    [
      'an idempotency key of other figures',
      'BAD_USER_INPUT',
      'REFUSED',
      () => ask(SUBMIT_TRAINEES('duisburg'), { input: { year: CURRENT_YEAR, intake: 81, idempotencyKey: 'abuse-trainees' } }, tokens.hrDuisburg),
    ],
    [
      'U+0000 and a right-to-left override in a refused value',
      'BAD_USER_INPUT',
      'REFUSED',
      () => ask(SUBMIT_NEW_HIRES, { input: { year: 1990, total: 5, source: 'Statistik\u0000\u202Eevil' } }, tokens.hrDuisburg),
    ],
    [
      'an import key of another file',
      'BAD_USER_INPUT',
      'REFUSED',
      () => ask(IMPORT, { csv: `${HEADER}\nSchulung;${CURRENT_YEAR};jugendamt;;;;100;40;;\n`, key: 'abuse-import' }, tokens.hrDuisburg),
    ],
    ['an import key with U+0000', 'BAD_USER_INPUT', 'REFUSED', () => ask(IMPORT, { csv: `${HEADER}\n`, key: 'key\u0000' }, tokens.hrDuisburg)],
  ])('%s: %s, and one audit entry %s', async (_case, code, outcome, send) => {
    let answer: Answer | undefined;
    const audited = await auditedDuring('city_duisburg', async () => (answer = await send()));
    expect([...new Set(codes(answer!))]).toEqual([code]);
    expect(audited.map((row) => row.outcome)).toEqual([outcome]);
  });

  it.each<[string, string]>([
    ['refused rows', `${HEADER}\nSchulung;${CURRENT_YEAR};jobcenter;;;;100;140;;\n`],
    ['a column name with U+0000', `${HEADER};Farbe\u0000\nSchulung;${CURRENT_YEAR};jobcenter;;;;10;5;;;blau\n`],
  ])('an import with %s: the report lists them, and one audit entry REFUSED', async (_case, csv) => {
    let answer: Answer | undefined;
    const audited = await auditedDuring('city_duisburg', async () => (answer = await ask(IMPORT, { csv }, tokens.hrDuisburg)));
    expect(answer!.body.data!.duisburg.importFigures).toMatchObject({ accepted: false, revisionsWritten: 0 });
    expect(audited.map((row) => row.outcome)).toEqual(['REFUSED']);
  });

  it('at the forum too', async () => {
    const target = { commitmentId: 'staff-share', targetKind: 'FIXED', targetShare: 2, correctsRevision: 1, reason: 'x' };
    const audited = await auditedDuring('forum', async () => {
      expect(codes(await ask(SET_TARGET, { input: target }))).toEqual(['UNAUTHENTICATED']);
      expect(codes(await ask(SET_TARGET, { input: target }, tokens.member))).toEqual(['FORBIDDEN']);
      expect(codes(await ask(SET_TARGET, { input: target }, tokens.admin))).toEqual(['BAD_USER_INPUT']);
    });
    expect(audited.map((row) => row.outcome)).toEqual(['UNAUTHENTICATED', 'FORBIDDEN', 'REFUSED']);
  });

  it('a refusal whose audit entry cannot be written fails the request instead of being answered as a refusal', async () => {
    databaseProxy.refuse();
    const withoutToken = await ask(submitStaff(SLOW_CITY), { input: staffFigures });
    const refusedValue = await ask(submitStaff(SLOW_CITY), { input: { ...staffFigures, year: 1990 } }, tokens.hrEssen);
    for (const answer of [withoutToken, refusedValue]) {
      expect(answer.body.errors).toEqual([
        expect.objectContaining({ extensions: expect.objectContaining({ code: 'CITY_UNAVAILABLE', city: SLOW_CITY, reason: 'its database is unavailable' }) }),
      ]);
    }
    databaseProxy.forward();
    expect(codes(await ask(submitStaff(SLOW_CITY), { input: staffFigures }))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('audit entries from anonymous refusals are bounded', () => {
  const BOUND = 60;
  const AUDIT = `{ municipality(id: "bochum") { auditLog(limit: 1000) { actor outcome } } }`;
  const anonymousEntries = async () => {
    const answer = await ask(AUDIT, {}, tokens.admin);
    expect(answer.body.errors).toBeUndefined();
    return (answer.body.data!.municipality.auditLog as Array<{ actor: string; outcome: string }>).filter((entry) => entry.actor === 'anonymous').length;
  };

  it(`a city audits ${BOUND} anonymous refusals a minute; beyond them it answers RATE_LIMITED and writes nothing, while everyone else is served as ever`, async () => {
    const before = await anonymousEntries();
    const outcomes: unknown[] = [];
    const audited = await auditedDuring('city_bochum', async () => {
      for (let attempt = 0; attempt < BOUND + 5; attempt++) outcomes.push(codes(await ask(submitStaff('bochum'), { input: staffFigures })));
    });
    expect(outcomes).toEqual([...Array(BOUND).fill(['UNAUTHENTICATED']), ...Array(5).fill(['RATE_LIMITED'])]);
    expect(audited).toHaveLength(BOUND);
    expect(audited.every((row) => row.outcome === 'UNAUTHENTICATED' && row.actor_subject === 'anonymous')).toBe(true);
    // Read by an administrator through the gateway: the audit log is never answered from the cache.
    expect((await anonymousEntries()) - before).toBe(BOUND);

    const limited = await ask(submitStaff('bochum'), { input: staffFigures });
    expect(limited.body.errors![0]!.extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(limited.body.errors![0]!.extensions!.retryAfterSeconds).toBeGreaterThan(0);

    const others = await auditedDuring('city_bochum', async () => {
      expect(codes(await ask(submitStaff('bochum'), { input: staffFigures }, tokens.member))).toEqual(['FORBIDDEN']);
      const accepted = await ask(SUBMIT_TRAINEES('bochum'), { input: { year: CURRENT_YEAR, intake: 90 } }, tokens.hrBochum);
      expect(accepted.body.errors).toBeUndefined();
    });
    expect(others.map((row) => [row.actor_subject, row.outcome])).toEqual([
      ['analyst', 'FORBIDDEN'],
      ['hr-bochum', 'ACCEPTED'],
    ]);
  });
});
