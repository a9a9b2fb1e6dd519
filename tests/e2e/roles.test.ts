/**
 * Who may do what (docs/security.md), every cell of the role matrix, through the gateway; plus the tokens the
 * gateway refuses and the subgraphs that answer nobody but the gateway.
 * Schema under test: schema/supergraph.graphql; subgraphs and gateway as separate processes.
 */
import { TestFederation, contractOperation, type GraphQLResponse } from '../support/federation';
import { signToken, writeKeyFile } from '../support/tokens';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

let federation: TestFederation;
const tokens: Record<string, string | undefined> = {};

beforeAll(async () => {
  federation = await TestFederation.start();
  tokens.anonymous = undefined;
  tokens.member = federation.token({ sub: 'forum-office', roles: ['member'] });
  tokens.hrDuisburg = federation.token({ sub: 'hr-duisburg', name: 'Petra Personal', roles: ['hr'], city: 'duisburg' });
  tokens.hrBochum = federation.token({ sub: 'hr-bochum', roles: ['hr'], city: 'bochum' });
  tokens.admin = federation.token({ sub: 'admin', roles: ['admin'] });
}, 120_000);

afterAll(async () => {
  await federation?.stop();
});

const codes = (response: GraphQLResponse) => (response.body.errors ?? []).map((error) => error.extensions?.code);

const BREAKDOWN = `query ($year: Int!) {
  duisburg: municipality(id: "duisburg") { staff(year: $year) { byUnit { unit headcount respondents withMigrationHistory share suppressed { field reason } } } }
  bochum: municipality(id: "bochum") { staff(year: $year) { byUnit { unit withMigrationHistory suppressed { field reason } } } }
}`;
const HISTORY = `{ municipality(id: "duisburg") { staffRevisions(year: 2024) { revision { number submittedBy } } } }`;
const AUDIT = `{ municipality(id: "duisburg") { auditLog(limit: 5) { action outcome } } }`;
const SUBMIT = `mutation ($input: StaffFiguresInput!) {
  duisburg: municipality(id: "duisburg") { submitStaffFigures(input: $input) { replayed staff { year headcount revision { number submittedBy } } } }
}`;

type BreakdownRow = { unit: string; withMigrationHistory: number | null; suppressed: Array<{ field: string; reason: string }> };

describe('reads', () => {
  it.each(['anonymous', 'member', 'hrDuisburg', 'hrBochum', 'admin'])('%s reads everything the contract queries ask', async (role) => {
    for (const [operation, variables] of [
      ['forum-progress', { year: 2024 }],
      ['city-comparison', { year: 2024 }],
      ['city-trend', { id: 'duisburg', from: 2010, to: 2024 }],
      ['staff-uncertainty', { year: 2024 }],
    ] as const) {
      const response = await federation.query(contractOperation(operation), variables, { token: tokens[role] });
      expect({ operation, errors: response.body.errors }).toEqual({ operation, errors: undefined });
    }
  });

  it('anonymous: no unit breakdowns, revision history or audit log; told to sign in', async () => {
    const breakdown = await federation.query(BREAKDOWN, { year: 2024 });
    expect(breakdown.body.data!.duisburg.staff.byUnit).toBeNull();
    expect(new Set(codes(breakdown))).toEqual(new Set(['UNAUTHENTICATED']));
    expect(breakdown.body.errors![0]!.extensions).toMatchObject({ required: 'member' });
    expect(codes(await federation.query(HISTORY))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await federation.query(AUDIT))).toEqual(['UNAUTHENTICATED']);
  });

  it('member: unit breakdowns with small counts withheld, revision history; no audit log', async () => {
    const breakdown = await federation.query(BREAKDOWN, { year: 2024 }, { token: tokens.member });
    expect(breakdown.body.errors).toBeUndefined();
    const units: BreakdownRow[] = breakdown.body.data!.duisburg.staff.byUnit;
    const small = units.find((unit) => unit.unit === 'gleichstellungsstelle')!;
    expect(small.withMigrationHistory).toBeNull();
    expect(small.suppressed).toContainEqual({ field: 'withMigrationHistory', reason: 'CONFIDENTIAL' });
    // One reason for every withheld count, and never the small one alone: the units add up to the published total.
    const withheld = units.flatMap((unit) => unit.suppressed);
    expect(new Set(withheld.map((cell) => cell.reason))).toEqual(new Set(['CONFIDENTIAL']));
    expect(withheld.filter((cell) => cell.field === 'withMigrationHistory').length).toBeGreaterThanOrEqual(2);

    const history = await federation.query(HISTORY, {}, { token: tokens.member });
    expect(history.body.data!.municipality.staffRevisions).toEqual([{ revision: { number: 1, submittedBy: 'demo-data' } }]);

    const audit = await federation.query(AUDIT, {}, { token: tokens.member });
    expect(codes(audit)).toEqual(['FORBIDDEN']);
    expect(audit.body.errors![0]!.extensions).toMatchObject({ required: 'admin', granted: 'member' });
    expect(audit.body.errors![0]!.extensions!.messages).toEqual({
      de: 'Nicht erlaubt: dafür ist die Rolle admin nötig; Ihr Token berechtigt zu: member.',
      en: 'Not allowed: this needs the role admin; your token grants: member.',
    });
  });

  it("hr of Duisburg: Duisburg's own figures unsuppressed, other cities' withheld; no audit log", async () => {
    const breakdown = await federation.query(BREAKDOWN, { year: 2024 }, { token: tokens.hrDuisburg });
    const own: BreakdownRow[] = breakdown.body.data!.duisburg.staff.byUnit;
    expect(own.every((unit) => unit.suppressed.length === 0 && unit.withMigrationHistory !== null)).toBe(true);
    const other: BreakdownRow[] = breakdown.body.data!.bochum.staff.byUnit;
    expect(other.find((unit) => unit.unit === 'gleichstellungsstelle')!.withMigrationHistory).toBeNull();
    expect(codes(await federation.query(AUDIT, {}, { token: tokens.hrDuisburg }))).toEqual(['FORBIDDEN']);
  });

  it('admin: everything unsuppressed, and the audit log', async () => {
    const breakdown = await federation.query(BREAKDOWN, { year: 2024 }, { token: tokens.admin });
    const units: BreakdownRow[] = [...breakdown.body.data!.duisburg.staff.byUnit, ...breakdown.body.data!.bochum.staff.byUnit];
    expect(units.every((unit) => unit.suppressed.length === 0)).toBe(true);
    const audit = await federation.query(AUDIT, {}, { token: tokens.admin });
    expect(audit.body.errors).toBeUndefined();
    expect(Array.isArray(audit.body.data!.municipality.auditLog)).toBe(true);
  });
});

describe('writes to city figures', () => {
  const input = (year: number) => ({ year, headcount: 9500, respondents: 5600, withMigrationHistory: 1200 });

  it.each([
    ['anonymous', 'UNAUTHENTICATED'],
    ['member', 'FORBIDDEN'],
    ['hrBochum', 'FORBIDDEN'],
    ['admin', 'FORBIDDEN'],
  ])('%s may not write Duisburg\'s figures: %s, naming what was needed', async (role, code) => {
    const response = await federation.query(SUBMIT, { input: input(2025) }, { token: tokens[role] });
    expect(codes(response)).toEqual([code]);
    expect(response.body.errors![0]!.extensions).toMatchObject({ required: 'hr:duisburg' });
    expect(response.body.data!.duisburg).toBeNull();
  });

  it("hr of Duisburg writes Duisburg's figures, as itself", async () => {
    const response = await federation.query(SUBMIT, { input: input(2025) }, { token: tokens.hrDuisburg });
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data!.duisburg.submitStaffFigures).toEqual({
      replayed: false,
      staff: { year: 2025, headcount: 9500, revision: { number: 1, submittedBy: 'Petra Personal' } },
    });
  });

  it('every refused attempt is in the audit log, with who and how it ended', async () => {
    const audit = await federation.query(`{ municipality(id: "duisburg") { auditLog(limit: 10) { actor action outcome target } } }`, {}, { token: tokens.admin });
    const entries = audit.body.data!.municipality.auditLog as Array<{ actor: string; outcome: string; target: { year: number } }>;
    expect(entries.map((entry) => [entry.actor, entry.outcome])).toEqual([
      ['hr-duisburg', 'ACCEPTED'],
      ['admin', 'FORBIDDEN'],
      ['hr-bochum', 'FORBIDDEN'],
      ['forum-office', 'FORBIDDEN'],
      ['anonymous', 'UNAUTHENTICATED'],
    ]);
    expect(entries.every((entry) => entry.target.year === 2025)).toBe(true);
  });
});

describe('tokens', () => {
  const refusedWith = async (token: string, reason: string) => {
    const response = await federation.query(contractOperation('forum-progress'), { year: 2024 }, { token });
    expect(response.status).toBe(401);
    expect(response.body.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED', reason }) })]);
    expect(response.body.data).toBeUndefined();
  };

  it('refuses an expired token', () => refusedWith(federation.token({ roles: ['member'] }, { expiresIn: -60 }), 'expired'));

  it('refuses a token signed by another key', () => {
    const stranger = writeKeyFile(path.join(federation.keys.dir, 'stranger.jwk.json'));
    return refusedWith(signToken(stranger, { sub: 'mallory', roles: ['admin'] }), 'signature');
  });

  it('refuses a token for another audience', () => refusedWith(federation.token({ roles: ['member'] }, { audience: 'another-app' }), 'audience'));

  it('refuses a token from another issuer', () => refusedWith(federation.token({ roles: ['member'] }, { issuer: 'https://elsewhere.example' }), 'issuer'));

  it('refuses an hr token that names no member city', () => refusedWith(federation.token({ roles: ['hr'], city: 'atlantis' }), 'claims'));

  it('refuses what is not a token', () => refusedWith('not-a-token', 'malformed'));

  it("accepts an identity provider's tokens from its JWKS, with Keycloak's realm roles", async () => {
    const idpKey = writeKeyFile(path.join(federation.keys.dir, 'idp.jwk.json'));
    const publicJwk = (({ d: _private, ...rest }) => rest)(JSON.parse(readFileSync(idpKey, 'utf8')));
    const idp = createServer((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [publicJwk] })));
    await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
    const issuer = 'https://id.example/realms/forum';
    const gateway = await federation.startExtraGateway({
      AUTH_JWKS_URL: `http://127.0.0.1:${(idp.address() as AddressInfo).port}/certs`,
      AUTH_ISSUER: issuer,
      AUTH_AUDIENCE: 'integration-forum-hub',
      AUTH_ROLES_CLAIM: 'realm_access.roles',
    });
    try {
      const keycloakToken = signToken(idpKey, { sub: 'f3a9', preferred_username: 'p.personal', realm_access: { roles: ['hr', 'offline_access'] }, city: 'duisburg' }, { issuer });
      const own = await federation.query(BREAKDOWN, { year: 2024 }, { url: gateway.url, token: keycloakToken });
      expect(own.body.errors).toBeUndefined();
      expect((own.body.data!.duisburg.staff.byUnit as BreakdownRow[]).every((unit) => unit.suppressed.length === 0)).toBe(true);
      const local = await federation.query(HISTORY, {}, { url: gateway.url, token: tokens.member });
      expect(local.status).toBe(401);
      expect(local.body.errors![0]!.extensions!.reason).toBe('signature');
    } finally {
      await gateway.stop();
      idp.close();
    }
  });

  it('answers in German when asked to', async () => {
    const response = await federation.query('{ forum { name } }', {}, { token: 'not-a-token', headers: { 'accept-language': 'de-DE,de;q=0.9' } });
    expect(response.body.errors![0]!.message).toBe('Token abgelehnt: es ist nicht lesbar.');
  });
});

describe('subgraphs', () => {
  it('answer a direct call without the gateway credential with nothing but a refusal', async () => {
    const duisburg = federation.subgraphs.get('duisburg')!;
    const response = await fetch(duisburg.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ _service { sdl } }' }),
    });
    expect(response.status).toBe(401);
    const body = (await response.json()) as { data?: unknown; errors: Array<{ extensions: { code: string } }> };
    expect(body.data).toBeUndefined();
    expect(body.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
  });

  it('do not take a user token in place of the gateway credential', async () => {
    const response = await fetch(federation.subgraphs.get('duisburg')!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.admin}` },
      body: JSON.stringify({ query: '{ _service { sdl } }' }),
    });
    expect(response.status).toBe(401);
  });

  it('take a gateway credential only where it is addressed, and only as signed, also once they have verified others', async () => {
    const credential = (audience: string, claims: Record<string, unknown> = {}) =>
      signToken(federation.keys.gateway, { sub: 'admin-forum', roles: ['admin'], ...claims }, { issuer: 'integration-forum-hub/gateway', audience, expiresIn: 30 });
    const callDuisburg = (token: string) =>
      fetch(federation.subgraphs.get('duisburg')!.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ _service { sdl } }' }),
      });
    const good = credential('duisburg');
    // Twice: the second answer comes from what the subgraph remembers of the first.
    expect((await callDuisburg(good)).status).toBe(200);
    expect((await callDuisburg(good)).status).toBe(200);
    expect((await callDuisburg(credential('bochum'))).status).toBe(401);
    const [header, payload, signature] = good.split('.');
    const widened = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), city: 'bochum' })).toString('base64url');
    expect((await callDuisburg(`${header}.${widened}.${signature}`)).status).toBe(401);
    expect((await callDuisburg(credential('duisburg', { exp: Math.floor(Date.now() / 1000) - 1 }))).status).toBe(401);
  });

  it("recognise the gateway by the public key it publishes (GATEWAY_JWKS_URL), as in a deployment", async () => {
    const city = await federation.startExtraCity('duisburg', { GATEWAY_JWKS_URL: new URL('/.well-known/jwks.json', federation.gatewayUrl).toString() });
    const gateway = await federation.startExtraGateway({ SUBGRAPH_URL_DUISBURG: city.url });
    try {
      const response = await federation.query(contractOperation('city-trend'), { id: 'duisburg', from: 2020, to: 2024 }, { url: gateway.url });
      expect(response.body.errors).toBeUndefined();
      expect(response.body.data!.municipality.staffSeries).toHaveLength(5);
    } finally {
      await gateway.stop();
      await city.stop();
    }
  });

  it('still answer their health check', async () => {
    const response = await fetch(new URL('/health', federation.subgraphs.get('duisburg')!.url));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', database: { ok: true } });
  });
});

describe('administration: commitments and tokens', () => {
  const SET_TARGET = `mutation ($input: CommitmentTargetInput!) {
    forum { setCommitmentTarget(input: $input) { id targetKind targetShare targetRevision } }
  }`;
  const ISSUE = `mutation ($input: TokenRequest!) { forum { issueToken(input: $input) { token subject roles city expiresAt } } }`;
  const target = { commitmentId: 'trainee-share', targetKind: 'FIXED', targetShare: 0.3, correctsRevision: 1, reason: 'Forumsbeschluss' };
  const request = { roles: ['MEMBER'], subject: 'statistik@stadt.example', name: 'Statistikstelle' };

  it.each([
    ['anonymous', 'UNAUTHENTICATED'],
    ['member', 'FORBIDDEN'],
    ['hrDuisburg', 'FORBIDDEN'],
  ])('%s may neither change commitments nor issue tokens: %s', async (role, code) => {
    const change = await federation.query(SET_TARGET, { input: target }, { token: tokens[role] });
    expect(codes(change)).toEqual([code]);
    expect(change.body.errors![0]!.extensions).toMatchObject({ required: 'admin' });
    const issue = await federation.query(ISSUE, { input: request }, { token: tokens[role] });
    expect(codes(issue)).toEqual([code]);
  });

  it("admin corrects a member's join date in the registry the forum serves, and the forum counts it from then", async () => {
    const SET_MEMBERSHIP = `mutation ($input: MembershipInput!) { forum { setMembership(input: $input) { id memberSince membership { precision revision provenance { kind source } } } } }`;
    const correction = { memberId: 'gelsenkirchen', since: '2013-01-01', precision: 'YEAR', source: 'Protokoll des Forums 2013', correctsRevision: 0, reason: 'Beitritt in den Protokollen gefunden' };
    for (const role of ['anonymous', 'member', 'hrDuisburg']) {
      expect(codes(await federation.query(SET_MEMBERSHIP, { input: correction }, { token: tokens[role] }))).toEqual([role === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN']);
    }
    const year2013 = async () => {
      const { body } = await federation.query(contractOperation('forum-progress'), { year: 2013 });
      const progress = body.data!.forum.staffProgress;
      return [...progress.citiesReporting, ...progress.citiesMissing].map((city: { id: string }) => city.id);
    };
    expect(await year2013()).not.toContain('gelsenkirchen');

    const response = await federation.query(SET_MEMBERSHIP, { input: correction }, { token: tokens.admin });
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data!.forum.setMembership).toEqual({
      id: 'gelsenkirchen',
      memberSince: '2013-01-01',
      membership: { precision: 'YEAR', revision: 1, provenance: { kind: 'OFFICIAL', source: 'Protokoll des Forums 2013' } },
    });
    expect(await year2013()).toContain('gelsenkirchen');
    expect(codes(await federation.query(SET_MEMBERSHIP, { input: correction }, { token: tokens.admin }))).toEqual(['CONFLICT']);
  });

  it('admin changes a commitment target as a new revision, and keeps the history', async () => {
    const change = await federation.query(SET_TARGET, { input: target }, { token: tokens.admin });
    expect(change.body.errors).toBeUndefined();
    expect(change.body.data!.forum.setCommitmentTarget).toEqual({ id: 'trainee-share', targetKind: 'FIXED', targetShare: 0.3, targetRevision: 2 });

    const stale = await federation.query(SET_TARGET, { input: { ...target, targetShare: 0.25 } }, { token: tokens.admin });
    expect(codes(stale)).toEqual(['CONFLICT']);

    const history = await federation.query(`{ forum { commitments { id targetHistory { number targetShare submittedBy reason } } } }`, {}, { token: tokens.member });
    const trainee = history.body.data!.forum.commitments.find((commitment: { id: string }) => commitment.id === 'trainee-share');
    expect(trainee.targetHistory).toEqual([
      { number: 1, targetShare: null, submittedBy: 'forum', reason: 'As adopted' },
      { number: 2, targetShare: 0.3, submittedBy: 'admin', reason: 'Forumsbeschluss' },
    ]);
  });

  it('admin sets a trainee target, which trainee progress then judges with its gap', async () => {
    const { body } = await federation.query(`{ forum { traineeProgress(year: 2024) { pooledShare targetKind targetShare gapPoints targetStatus } } }`);
    const progress = body.data!.forum.traineeProgress;
    expect(progress).toMatchObject({ targetKind: 'FIXED', targetShare: 0.3 });
    expect(progress.gapPoints).toBeCloseTo((0.3 - progress.pooledShare) * 100, 2);
    // The intake is counted in full: no interval, so the target is met or not.
    expect(progress.targetStatus).toBe(progress.pooledShare >= 0.3 ? 'MET' : 'NOT_MET');
  });

  it('admin may not type a share for a parity target: parity is computed from the population figures', async () => {
    const parity = { commitmentId: 'staff-share', targetKind: 'POPULATION_PARITY', correctsRevision: 1, reason: 'Forumsbeschluss: Parität' };
    const typed = await federation.query(SET_TARGET, { input: { ...parity, targetShare: 0.35 } }, { token: tokens.admin });
    expect(typed.body.errors!.map((error) => [error.extensions?.code, error.extensions?.field])).toEqual([['BAD_USER_INPUT', 'targetShare']]);
    const training = await federation.query(SET_TARGET, { input: { ...parity, commitmentId: 'jobcenter-training' } }, { token: tokens.admin });
    expect(training.body.errors!.map((error) => [error.extensions?.code, error.extensions?.field])).toEqual([['BAD_USER_INPUT', 'targetKind']]);

    const computed = await federation.query(SET_TARGET, { input: parity }, { token: tokens.admin });
    expect(computed.body.errors).toBeUndefined();
    expect(computed.body.data!.forum.setCommitmentTarget).toEqual({ id: 'staff-share', targetKind: 'POPULATION_PARITY', targetShare: null, targetRevision: 2 });
    const PROGRESS = `{ forum { staffProgress(year: 2024) { targetKind targetShare populationParityShare } } }`;
    const progress = (await federation.query(PROGRESS)).body.data!.forum.staffProgress;
    expect(progress.targetKind).toBe('POPULATION_PARITY');
    expect(progress.targetShare).toBe(progress.populationParityShare);

    // Back to the fixed headline, as a further revision.
    const back = await federation.query(SET_TARGET, { input: { ...parity, targetKind: 'FIXED', targetShare: 0.33, correctsRevision: 2, reason: 'Zurück zur Zielmarke' } }, { token: tokens.admin });
    expect(back.body.errors).toBeUndefined();
    expect((await federation.query(PROGRESS)).body.data!.forum.staffProgress).toMatchObject({ targetKind: 'FIXED', targetShare: 0.33 });
  });

  it('admin issues a token, which the gateway then accepts', async () => {
    const issue = await federation.query(ISSUE, { input: request }, { token: tokens.admin });
    expect(issue.body.errors).toBeUndefined();
    const issued = issue.body.data!.forum.issueToken;
    expect(issued).toMatchObject({ subject: 'statistik@stadt.example', roles: ['MEMBER'], city: null });
    const history = await federation.query(HISTORY, {}, { token: issued.token });
    expect(history.body.errors).toBeUndefined();
  });

  it('refuses an hr token request without a member city, and an overlong one', async () => {
    const response = await federation.query(ISSUE, { input: { roles: ['HR'], subject: 'x', expiresIn: '400d' } }, { token: tokens.admin });
    expect((response.body.errors ?? []).map((error) => error.extensions?.field)).toEqual(['city', 'expiresIn']);
  });

  it("keeps the forum's own audit log, for administrators only, without the tokens themselves", async () => {
    const AUDIT_FORUM = `{ forum { auditLog(limit: 20) { actor action outcome detail } } }`;
    expect(codes(await federation.query(AUDIT_FORUM, {}, { token: tokens.member }))).toEqual(['FORBIDDEN']);
    const audit = await federation.query(AUDIT_FORUM, {}, { token: tokens.admin });
    const entries = audit.body.data!.forum.auditLog as Array<{ actor: string; action: string; outcome: string; detail: object }>;
    expect(entries.filter((entry) => entry.action === 'issueToken').map((entry) => entry.outcome)).toEqual(
      expect.arrayContaining(['ACCEPTED', 'REFUSED', 'FORBIDDEN', 'UNAUTHENTICATED']),
    );
    expect(JSON.stringify(entries)).not.toMatch(/eyJ/);
  });
});
