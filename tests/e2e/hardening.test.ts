/**
 * Hostile or careless requests at the gateway: query limits (depth, aliases, tokens, cost, directives), body size,
 * rate limits per user and per address, CSRF prevention, CORS allow-list, introspection and field suggestions for
 * anonymous callers; and the gateway's /ready. Each limit answers with its own stable code, never with a 5xx.
 * Schema under test: schema/supergraph.graphql, real processes; extra gateways with tighter limits.
 */
import path from 'node:path';
import { TestFederation, contractOperation, type GraphQLResponse } from '../support/federation';
import type { ServiceProcess } from '../support/processes';
import { signToken, writeKeyFile } from '../support/tokens';

let federation: TestFederation;
let member: string;
/** A gateway as an operator might tighten it: lower limits, two allowed origins, no anonymous introspection. */
let strict: ServiceProcess;

beforeAll(async () => {
  federation = await TestFederation.start();
  member = federation.token({ sub: 'analyst', roles: ['member'] });
  strict = await federation.startExtraGateway({
    QUERY_MAX_DEPTH: '3',
    QUERY_MAX_COST: '50',
    REQUEST_MAX_BYTES: '10000',
    CORS_ORIGINS: 'https://dashboard.example, https://analysis.example',
    INTROSPECTION_ANONYMOUS: 'false',
  });
}, 120_000);

afterAll(async () => {
  await strict?.stop();
  await federation?.stop();
});

const codes = (response: GraphQLResponse) => (response.body.errors ?? []).map((error) => error.extensions?.code);

async function post(url: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLResponse['body'] };
}

describe('query limits (defaults)', () => {
  it('let every contract query through', async () => {
    for (const name of ['city-comparison', 'forum-progress', 'staff-uncertainty'] as const) {
      const response = await federation.query(contractOperation(name), { year: 2024 });
      expect(codes(response)).toEqual([]);
    }
  });

  it('refuse more than 30 aliases with TOO_MANY_ALIASES, naming the limit', async () => {
    const aliases = Array.from({ length: 31 }, (_, index) => `a${index}: name`).join(' ');
    const response = await federation.query(`{ forum { ${aliases} } }`);
    expect(response.status).toBe(400);
    expect(response.body.errors).toHaveLength(1);
    expect(response.body.errors![0]!.extensions).toMatchObject({ code: 'TOO_MANY_ALIASES', limit: 30, found: 31 });
    expect(response.body.data).toBeUndefined();
  });

  it('refuse a document of more than 2000 tokens with TOO_MANY_TOKENS', async () => {
    const response = await federation.query(`{ forum { ${'name '.repeat(2000)} } }`);
    expect(response.status).toBe(400);
    expect(response.body.errors![0]!.extensions).toMatchObject({ code: 'TOO_MANY_TOKENS', limit: 2000 });
  });

  it('refuse more than 20 directives with TOO_MANY_DIRECTIVES', async () => {
    const response = await federation.query(`{ forum { name ${'@include(if: true) '.repeat(21)} } }`);
    expect(response.status).toBe(400);
    expect(codes(response)).toContain('TOO_MANY_DIRECTIVES');
  });

  it('refuse nesting deeper than 10 with QUERY_TOO_DEEP, even where the fields do not exist', async () => {
    const deep = `{ forum { ${'a { '.repeat(10)}b${' }'.repeat(10)} } }`;
    const response = await federation.query(deep);
    expect(response.status).toBe(400);
    expect(codes(response)).toContain('QUERY_TOO_DEEP');
  });

  it('refuse a batch of operations in one request', async () => {
    const batch = JSON.stringify([{ query: '{ forum { name } }' }, { query: '{ forum { id } }' }]);
    const response = await fetch(federation.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: batch });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/batching/i);
  });

  it('speak German when asked to', async () => {
    const aliases = Array.from({ length: 31 }, (_, index) => `a${index}: name`).join(' ');
    const response = await federation.query(`{ forum { ${aliases} } }`, {}, { headers: { 'accept-language': 'de-DE,de;q=0.9' } });
    expect(response.body.errors![0]!.message).toBe('Die Abfrage enthält zu viele Aliase (erlaubt: 30, gefunden: 31).');
    expect(response.body.errors![0]!.extensions!.messages.en).toBe('The query has too many aliases (allowed: 30, found: 31).');
  });
});

describe('tighter limits, configured by the operator', () => {
  it('refuse a valid query nested deeper than the limit, and nothing else', async () => {
    const response = await federation.query(`{ forum { members { staff(year: 2024) { share } } } }`, {}, { url: strict.url });
    expect(response.status).toBe(400);
    expect(response.body.errors).toHaveLength(1);
    expect(response.body.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_DEEP', limit: 3, found: 4 });
  });

  it('refuse a query whose estimated cost is above the limit with QUERY_TOO_COSTLY', async () => {
    const response = await federation.query(contractOperation('city-comparison'), { year: 2024 }, { url: strict.url });
    expect(response.status).toBe(400);
    expect(response.body.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COSTLY', limit: 50 });
    expect(response.body.errors![0]!.extensions!.found).toBeGreaterThan(50);
  });

  it('refuse a body above REQUEST_MAX_BYTES with 413 REQUEST_TOO_LARGE, as JSON', async () => {
    const response = await post(strict.url, JSON.stringify({ query: '{ forum { name } }', variables: { padding: 'x'.repeat(20_000) } }));
    expect(response.status).toBe(413);
    expect(response.body.errors![0]!.extensions).toMatchObject({ code: 'REQUEST_TOO_LARGE', limitBytes: 10_000 });
  });

  it('answer a body that is not JSON with 400 BAD_REQUEST, as JSON', async () => {
    const response = await post(strict.url, '{"query": "{ forum { name } }"');
    expect(response.status).toBe(400);
    expect(response.body.errors![0]!.extensions!.code).toBe('BAD_REQUEST');
  });
});

describe('rate limits', () => {
  let limited: ServiceProcess;

  beforeAll(async () => {
    // Limits of a few requests, so that a test reaches them; X-Forwarded-For from loopback (the test) names the
    // address, as behind a reverse proxy, so that one test can speak from several addresses.
    limited = await federation.startExtraGateway({ RATE_LIMIT_PER_ADDRESS: '3', RATE_LIMIT_PER_USER: '5', RATE_LIMIT_WINDOW_MS: '600000', TRUST_PROXY: 'loopback' });
  });
  afterAll(() => limited.stop());

  const ask = (token?: string, headers: Record<string, string> = {}) =>
    post(limited.url, JSON.stringify({ query: '{ forum { name } }' }), { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers });

  it('stop an address without a token after its limit with 429 RATE_LIMITED and Retry-After', async () => {
    const statuses = [];
    for (let request = 0; request < 4; request++) statuses.push((await ask()).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await ask();
    expect(refused.status).toBe(429);
    expect(refused.body.errors![0]!.extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('count signed-in users by their token, not by the address they share', async () => {
    const first = federation.token({ sub: 'first-analyst', roles: ['member'] });
    const second = federation.token({ sub: 'second-analyst', roles: ['member'] });
    const statuses = [];
    for (let request = 0; request < 6; request++) statuses.push((await ask(first)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect((await ask(second)).status).toBe(200);
  });

  it('count requests with an invalid, expired or forged token against their address: 401 within the limit, then 429', async () => {
    const from = (address: string) => ({ 'x-forwarded-for': address });
    const stranger = writeKeyFile(path.join(federation.keys.dir, 'forger.jwk.json'));
    const forged = signToken(stranger, { sub: 'victim-analyst', roles: ['admin'] });
    const expired = federation.token({ sub: 'victim-analyst', roles: ['member'] }, { expiresIn: -60 });
    const answers = [];
    for (const token of [forged, expired, 'not-a-jwt', forged]) answers.push(await ask(token, from('203.0.113.7')));
    expect(answers.map((answer) => answer.status)).toEqual([401, 401, 401, 429]);
    expect(answers.map((answer) => answer.body.errors![0]!.extensions!.code)).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'RATE_LIMITED']);
    // Without a token the address is just as spent.
    expect((await ask(undefined, from('203.0.113.7'))).status).toBe(429);

    // Another address is not affected, and neither is the user the forged tokens named, from the spent address.
    expect((await ask(undefined, from('198.51.100.23'))).status).toBe(200);
    expect((await ask(forged, from('198.51.100.23'))).status).toBe(401);
    expect((await ask(federation.token({ sub: 'victim-analyst', roles: ['member'] }), from('203.0.113.7'))).status).toBe(200);
  });
});

describe('CSRF prevention', () => {
  it('refuses a POST a browser could send cross-site without asking (text/plain)', async () => {
    const response = await fetch(federation.gatewayUrl, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: '{ forum { name } }' }) });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/CSRF/);
  });

  it('refuses a GET without a preflight-forcing header, and answers it with one', async () => {
    const url = `${federation.gatewayUrl}?query=${encodeURIComponent('{ forum { name } }')}`;
    expect((await fetch(url)).status).toBe(400);
    const allowed = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
    expect(allowed.status).toBe(200);
  });
});

describe('CORS', () => {
  const preflight = (url: string, origin: string) =>
    fetch(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' } });

  it('allows the listed origins', async () => {
    const response = await preflight(strict.url, 'https://analysis.example');
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://analysis.example');
    expect(response.headers.get('access-control-allow-headers')).toMatch(/authorization/);
  });

  it('gives no other origin a CORS header', async () => {
    const response = await preflight(strict.url, 'https://evil.example');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('allows no origin at all by default', async () => {
    const response = await preflight(federation.gatewayUrl, 'https://dashboard.example');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('schema privacy for anonymous callers', () => {
  const INTROSPECTION = '{ __schema { queryType { name } } }';

  it('introspection is open to anonymous callers by default', async () => {
    const response = await federation.query(INTROSPECTION);
    expect(response.body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });

  it('with INTROSPECTION_ANONYMOUS=false, anonymous callers get 403 INTROSPECTION_DISABLED', async () => {
    const hiddenInAFragment = '{ ...Schema } fragment Schema on Query { __schema { queryType { name } } }';
    for (const document of [INTROSPECTION, '{ __type(name: "Forum") { name } }', hiddenInAFragment]) {
      const response = await federation.query(document, {}, { url: strict.url });
      expect(response.status).toBe(403);
      expect(codes(response)).toEqual(['INTROSPECTION_DISABLED']);
    }
  });

  it('an alias that looks like a meta field is an ordinary field', async () => {
    const response = await federation.query('{ forum { __type: name } }', {}, { url: strict.url });
    expect(response.status).toBe(200);
  });

  it('signed-in users may always read the schema, and __typename is never refused', async () => {
    expect((await federation.query(INTROSPECTION, {}, { url: strict.url, token: member })).body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    expect((await federation.query('{ forum { __typename } }', {}, { url: strict.url })).body.data).toEqual({ forum: { __typename: 'Forum' } });
  });

  it('anonymous callers get no field suggestions; signed-in users do', async () => {
    const anonymous = await federation.query('{ forum { nam } }', {}, { url: strict.url });
    expect(anonymous.body.errors![0]!.message).toBe('Cannot query field "nam" on type "Forum".');
    const signedIn = await federation.query('{ forum { nam } }', {}, { url: strict.url, token: member });
    expect(signedIn.body.errors![0]!.message).toMatch(/Did you mean "name"\?/);
  });
});

describe('/ready of the gateway', () => {
  it('reports the supergraph loaded and every subgraph reachable, with its database', async () => {
    const response = await fetch(new URL('/ready', federation.gatewayUrl));
    expect(response.status).toBe(200);
    const report = (await response.json()) as Record<string, any>;
    expect(report).toMatchObject({ service: 'gateway', status: 'ok', supergraph: { loaded: true, subgraphs: 9 }, degraded: false, unreachable: [] });
    expect(Object.keys(report.subgraphs).sort()).toEqual(['forum', ...federation.registry.members.map((each) => each.id)].sort());
    expect(report.subgraphs.duisburg).toMatchObject({ ok: true, city: 'duisburg', httpStatus: 200, database: true });
  });

  it('stays ready when a city is down, and names it', async () => {
    const herne = await federation.startExtraCity('herne', {});
    const gateway = await federation.startExtraGateway({ SUBGRAPH_URL_HERNE: herne.url });
    try {
      await herne.stop();
      const response = await fetch(new URL('/ready', gateway.url));
      expect(response.status).toBe(200);
      const report = (await response.json()) as Record<string, any>;
      expect(report).toMatchObject({ degraded: true, unreachable: ['herne'] });
      expect(report.subgraphs.herne).toMatchObject({ ok: false, city: 'herne', reason: 'the service is not running (connection refused)' });
    } finally {
      await gateway.stop();
    }
  });

  it('a subgraph /health reports its database', async () => {
    const response = await fetch(new URL('/health', federation.subgraphs.get('essen')!.url));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ service: 'city-essen', status: 'ok', database: { ok: true } });
  });
});
