/**
 * The router's coprocessor (services/router-coprocessor) as Apollo Router uses it (schema/router.yaml): for each
 * subgraph request the router posts the SubgraphRequest stage, with the client's headers and the subgraph's name, and
 * sends the request on with the headers the coprocessor answers. No router runs here (no Docker), so the test posts
 * those payloads itself and then calls the real city subgraphs with what came back.
 * Schema under test: schema/subgraphs/*.graphql, each city subgraph as its own process on the test database.
 */
import path from 'node:path';
import { TestFederation } from '../support/federation';
import { ServiceProcess, distScript } from '../support/processes';
import { signToken, writeKeyFile } from '../support/tokens';

let federation: TestFederation;
let coprocessor: ServiceProcess;

beforeAll(async () => {
  // A handful of requests at a time: small pools leave the test server's connections to suites running beside this one.
  federation = await TestFederation.start({ subgraphEnv: { DATABASE_POOL_SIZE: '3' } });
  coprocessor = await ServiceProcess.start('router-coprocessor', distScript('services', 'router-coprocessor', 'main.js'), [], {
    // The federation's own keys: its issuer of user tokens, and the gateway's key the subgraphs trust.
    AUTH_LOCAL_KEY_FILE: federation.keys.issuer,
    GATEWAY_KEY_FILE: federation.keys.gateway,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
  });
}, 120_000);

afterAll(async () => {
  await coprocessor?.stop();
  await federation?.stop();
});

interface CoprocessorAnswer {
  version: number;
  stage: string;
  id?: string;
  subgraphRequestId?: string;
  control: 'continue' | { break: number };
  headers?: Record<string, string[]>;
  body?: { errors: Array<{ message: string; extensions: { code: string; reason: string } }> };
}

/**
 * What the router posts before it calls `serviceName`, with the client's Authorization header as it propagates it, and
 * the subgraph request's body (schema/router.yaml asks for it) when given.
 */
async function subgraphRequestStage(serviceName: string, authorization?: string, extraHeaders: Record<string, string[]> = {}, body?: unknown) {
  const response = await fetch(coprocessor.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({
      version: 1,
      stage: 'SubgraphRequest',
      control: 'continue',
      id: 'b3f1c2d4-router-request',
      subgraphRequestId: '7e1d-subgraph-request',
      serviceName,
      method: 'POST',
      headers: {
        'content-type': ['application/json'],
        accept: ['application/json'],
        ...(authorization ? { authorization: [authorization] } : {}),
        ...extraHeaders,
      },
      ...(body === undefined ? {} : { body }),
    }),
  });
  return { status: response.status, answer: (await response.json()) as CoprocessorAnswer };
}

/** Duisburg's unit breakdown, asked as the router asks a city: through `_entities`. */
const DUISBURG_BREAKDOWN = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Municipality { staff(year: 2024) { byUnit { unit withMigrationHistory suppressed { field reason } } } }
  }
}`;
type BreakdownRow = { unit: string; withMigrationHistory: number | null; suppressed: Array<{ field: string; reason: string }> };
interface SubgraphResponse {
  status: number;
  body: { data?: { _entities: Array<{ staff: { byUnit: BreakdownRow[] | null } }> } | null; errors?: Array<{ extensions?: { code?: string } }> };
}

/** Calls a city subgraph directly with the headers the coprocessor gave the router. */
async function callCity(city: string, headers: Record<string, string[]>, url = federation.subgraphs.get(city)!.url): Promise<SubgraphResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: Object.fromEntries(Object.entries(headers).map(([name, values]) => [name, values.join(', ')])),
    body: JSON.stringify({ query: DUISBURG_BREAKDOWN, variables: { representations: [{ __typename: 'Municipality', id: 'duisburg' }] } }),
  });
  return { status: response.status, body: (await response.json()) as SubgraphResponse['body'] };
}

const byUnitOf = (response: SubgraphResponse) => response.body.data!._entities[0]!.staff.byUnit;

describe('a valid user token', () => {
  it("becomes Duisburg's credential for Duisburg's HR team, who sees its own figures unsuppressed", async () => {
    const userToken = federation.token({ sub: 'hr-duisburg', roles: ['hr'], city: 'duisburg' });
    const { status, answer } = await subgraphRequestStage('duisburg', `Bearer ${userToken}`, { 'accept-language': ['en'] });
    expect(status).toBe(200);
    expect(answer).toMatchObject({ version: 1, stage: 'SubgraphRequest', id: 'b3f1c2d4-router-request', subgraphRequestId: '7e1d-subgraph-request', control: 'continue' });
    expect(answer.headers!.authorization).toEqual([expect.stringMatching(/^Bearer \S+$/)]);
    expect(answer.headers!.authorization![0]).not.toContain(userToken);
    // Everything else the router would send stays as it was.
    expect(answer.headers).toMatchObject({ 'content-type': ['application/json'], accept: ['application/json'], 'accept-language': ['en'] });

    const response = await callCity('duisburg', answer.headers!);
    expect(response.body.errors).toBeUndefined();
    const units = byUnitOf(response)!;
    expect(units.length).toBeGreaterThan(0);
    expect(units.every((unit) => unit.suppressed.length === 0 && unit.withMigrationHistory !== null)).toBe(true);
  });

  it('carries a forum member, who sees the breakdown with small counts withheld', async () => {
    const { answer } = await subgraphRequestStage('duisburg', `Bearer ${federation.token({ sub: 'forum-office', roles: ['member'] })}`);
    const units = byUnitOf(await callCity('duisburg', answer.headers!))!;
    expect(units.find((unit) => unit.unit === 'gleichstellungsstelle')).toMatchObject({
      withMigrationHistory: null,
      suppressed: expect.arrayContaining([{ field: 'withMigrationHistory', reason: 'CONFIDENTIAL' }]),
    });
  });

  it('is refused by every other subgraph once it has become the credential for one', async () => {
    const { answer } = await subgraphRequestStage('duisburg', `Bearer ${federation.token({ roles: ['admin'] })}`);
    const response = await callCity('bochum', answer.headers!);
    expect(response.status).toBe(401);
    expect(response.body.data).toBeUndefined();
    expect(response.body.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
  });
});

describe('a write', () => {
  const submission = (headcount: number) => ({
    query: 'mutation Submit__duisburg__0($input: StaffFiguresInput!) { duisburg: municipality(id: "duisburg") { submitStaffFigures(input: $input) { replayed } } }',
    operationName: 'Submit__duisburg__0',
    variables: { input: { year: new Date().getFullYear(), headcount, reason: 'through the router' } },
  });
  const post = (headers: Record<string, string[]>, body: unknown) =>
    fetch(federation.subgraphs.get('duisburg')!.url, {
      method: 'POST',
      headers: Object.fromEntries(Object.entries(headers).map(([name, values]) => [name, values.join(', ')])),
      body: JSON.stringify(body),
    });
  const hr = () => `Bearer ${federation.token({ sub: 'hr-duisburg', roles: ['hr'], city: 'duisburg' })}`;

  it('gets a credential bound to the body the router sends, which the city takes once, and for nothing else', async () => {
    const body = submission(7_000);
    const { answer } = await subgraphRequestStage('duisburg', hr(), {}, body);
    expect(answer.control).toBe('continue');
    const claims = JSON.parse(Buffer.from(answer.headers!.authorization![0]!.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ jti: expect.any(String), operation_sha256: expect.any(String) });
    // The router sends the body as it re-serialises it: another order of keys is the same operation.
    const reordered = { variables: { input: { reason: body.variables.input.reason, headcount: 7_000, year: body.variables.input.year } }, operationName: body.operationName, query: body.query };
    const written = await post(answer.headers!, reordered);
    expect(written.status).toBe(200);
    expect(((await written.json()) as { errors?: unknown }).errors).toBeUndefined();
    expect((await post(answer.headers!, body)).status).toBe(401);
    expect((await post(answer.headers!, submission(7_001))).status).toBe(401);
  });

  it('without the body gets a read credential, which the city refuses for a write', async () => {
    const { answer } = await subgraphRequestStage('duisburg', hr());
    const refused = await post(answer.headers!, submission(7_002));
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { errors: Array<{ extensions: { reason: string } }> }).errors[0]!.extensions.reason).toBe('gateway-credential-read-only');
  });
});

describe('no token', () => {
  it('becomes an anonymous credential: the subgraph answers, and refuses what needs a member', async () => {
    const { answer } = await subgraphRequestStage('duisburg');
    expect(answer.control).toBe('continue');
    const response = await callCity('duisburg', answer.headers!);
    expect(response.status).toBe(200);
    expect(byUnitOf(response)).toBeNull();
    expect(response.body.errors!.map((error) => error.extensions!.code)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('a token that is not valid', () => {
  const refusedWith = async (authorization: string, reason: string) => {
    const { status, answer } = await subgraphRequestStage('duisburg', authorization);
    expect(status).toBe(200);
    expect(answer.control).toEqual({ break: 401 });
    // With a break the router takes the body as the subgraph's answer: no credential, and no headers to pass on.
    expect(answer.headers).toBeUndefined();
    expect(answer.body!.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED', reason }) })]);
    expect(answer).toMatchObject({ version: 1, stage: 'SubgraphRequest', id: 'b3f1c2d4-router-request' });
  };

  it('signed by another key: no credential, break 401', () => {
    const stranger = writeKeyFile(path.join(federation.keys.dir, 'coprocessor-stranger.jwk.json'));
    return refusedWith(`Bearer ${signToken(stranger, { sub: 'mallory', roles: ['admin'] })}`, 'signature');
  });

  it('expired: no credential, break 401', () => refusedWith(`Bearer ${federation.token({ roles: ['member'] }, { expiresIn: -60 })}`, 'expired'));

  it('an hr token naming no member city: no credential, break 401', () =>
    refusedWith(`Bearer ${federation.token({ roles: ['hr'], city: 'atlantis' })}`, 'claims'));

  it('not a bearer token: no credential, break 401, in German when asked', async () => {
    await refusedWith('Basic dXNlcjpwYXNz', 'malformed');
    const { answer } = await subgraphRequestStage('duisburg', 'Basic dXNlcjpwYXNz', { 'accept-language': ['de-DE,de;q=0.9'] });
    expect(answer.body!.errors[0]!.message).toBe('Das Token gehört in den Header "Authorization: Bearer <Token>".');
  });
});

describe('the coprocessor', () => {
  it('refuses what is not a SubgraphRequest payload with the subgraph name, so that the router sends nothing', async () => {
    const post = (payload: unknown) =>
      fetch(coprocessor.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
    expect((await post({ version: 1, stage: 'RouterRequest', control: 'continue', id: 'x', headers: {} })).status).toBe(400);
    expect((await post({ version: 1, stage: 'SubgraphRequest', control: 'continue', id: 'x', headers: {} })).status).toBe(400);
    expect((await post({ version: 2, stage: 'SubgraphRequest', control: 'continue', id: 'x', headers: {}, serviceName: 'duisburg' })).status).toBe(400);
  });

  it("publishes the gateway's public key, which a subgraph can be pointed at (GATEWAY_JWKS_URL)", async () => {
    const jwksUrl = new URL('/.well-known/jwks.json', coprocessor.url).toString();
    const published = (await (await fetch(jwksUrl)).json()) as { keys: Array<Record<string, unknown>> };
    const gatewayPublished = (await (await fetch(new URL('/.well-known/jwks.json', federation.gatewayUrl))).json()) as typeof published;
    expect(published).toEqual(gatewayPublished);
    expect(published.keys[0]).not.toHaveProperty('d');

    const city = await federation.startExtraCity('duisburg', { GATEWAY_JWKS_URL: jwksUrl });
    try {
      const { answer } = await subgraphRequestStage('duisburg', `Bearer ${federation.token({ roles: ['admin'] })}`);
      const response = await callCity('duisburg', answer.headers!, city.url);
      expect(response.body.errors).toBeUndefined();
      expect(byUnitOf(response)!.every((unit) => unit.suppressed.length === 0)).toBe(true);
    } finally {
      await city.stop();
    }
  });

  it("publishes the public key of the hub's own user tokens, for the router's JWT check", async () => {
    const published = (await (await fetch(new URL('/.well-known/user-jwks.json', coprocessor.url))).json()) as { keys: Array<Record<string, unknown>> };
    expect(published.keys).toEqual([expect.objectContaining({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' })]);
    expect(published.keys[0]).not.toHaveProperty('d');
  });

  it('answers its health and readiness checks', async () => {
    expect((await fetch(new URL('/health', coprocessor.url))).status).toBe(200);
    expect((await fetch(new URL('/ready', coprocessor.url))).status).toBe(200);
  });
});
