/**
 * schema/router.yaml, Apollo Router's configuration for the `router` profile of docker-compose.yml: it must name every
 * subgraph of schema/supergraph.graphql at its docker-compose address, and nothing else, and apply our gateway's
 * defaults. No router runs here (no Docker), so the file is read as the router reads it: `${env.NAME:-default}` expanded
 * from an environment, numbers and booleans made of the result.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { readGatewayConfig } from '../../gateway/config';
import { supergraphSubgraphs } from '../../gateway/supergraph';
import { DEFAULT_AUDIENCE, LOCAL_ISSUER } from '../../services/common/auth/issuers';
import { readLimits } from '../../services/common/limits';
import { fromProjectRoot } from '../../services/common/project-root';
import { COPROCESSOR_PATH, USER_JWKS_PATH } from '../../services/router-coprocessor/config';

interface RouterConfig {
  supergraph: { listen: string; path: string; introspection: unknown };
  homepage: { enabled: boolean };
  sandbox: { enabled: boolean };
  csrf: { unsafe_disabled: boolean; required_headers: string[] };
  cors: { policies: Array<{ origins: string[] }> };
  limits: { router: Record<string, unknown> };
  traffic_shaping: { router: { timeout: unknown }; all: { timeout: unknown }; subgraphs: Record<string, { timeout: unknown }> };
  override_subgraph_url: Record<string, unknown>;
  include_subgraph_errors: { all: boolean };
  headers: { all: { request: Array<{ propagate: { named: string } }> } };
  authentication: { router: { jwt: { jwks: Array<{ url: unknown; issuers: unknown[]; audiences: unknown[] }> } } };
  coprocessor: { url: unknown; subgraph: { all: { request: Record<string, boolean> } } };
  tls: { subgraph: { all: { certificate_authorities: string; client_authentication: { certificate_chain: string; key: string } } } };
}
interface ComposeService {
  environment?: Record<string, string | null>;
  volumes?: string[];
}

const routerYaml = readFileSync(fromProjectRoot('schema', 'router.yaml'), 'utf8');
const raw = parse(routerYaml) as RouterConfig;
const compose = parse(readFileSync(fromProjectRoot('docker-compose.yml'), 'utf8')) as { services: Record<string, ComposeService> };
const subgraphs = supergraphSubgraphs(readFileSync(fromProjectRoot('schema', 'supergraph.graphql'), 'utf8'));
const limits = readLimits({});
const gateway = readGatewayConfig({});

/** The router's expansion of its configuration file (shell-style defaults, which do not nest), then its coercion. */
function asRouterReads<Value>(value: Value, environment: Record<string, string> = {}): Value {
  if (typeof value === 'string') {
    const expanded = value.replace(/\$\{env\.([A-Za-z0-9_]+)(?::-([^}]*))?\}/g, (reference: string, name: string, fallback?: string) => {
      const resolved = environment[name] ?? fallback;
      if (resolved === undefined) throw new Error(`${reference}: unset and without a default, the router would not start`);
      return resolved;
    });
    if (expanded === value) return value;
    const coerced: unknown = parse(expanded);
    return (typeof coerced === 'number' || typeof coerced === 'boolean' ? coerced : expanded) as Value;
  }
  if (Array.isArray(value)) return value.map((item) => asRouterReads(item, environment)) as Value;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, asRouterReads(item, environment)])) as Value;
  }
  return value;
}

const config = asRouterReads(raw);

describe('the subgraphs', () => {
  const names = subgraphs.map((subgraph) => subgraph.name).sort();

  it('names every subgraph of the supergraph, and nothing else', () => {
    expect(names).toEqual(['city', 'forum']);
    expect(Object.keys(config.override_subgraph_url).sort()).toEqual(names);
    expect(Object.keys(config.traffic_shaping.subgraphs).sort()).toEqual(names);
  });

  it('calls the forum at its docker-compose service and port, where our gateway calls it too', () => {
    const url = new URL(String(config.override_subgraph_url.forum));
    expect(url.hostname).toBe('forum');
    expect(url.port).toBe(compose.services.forum!.environment!.PORT);
    expect(url.pathname).toBe('/graphql');
    expect(compose.services.gateway!.environment!.SUBGRAPH_URL_FORUM).toBe(url.toString());
  });

  it("calls the city subgraph at the member router, which calls each city where our gateway calls it", () => {
    const url = new URL(String(config.override_subgraph_url.city));
    const memberRouter = compose.services['member-router']!;
    expect(url.hostname).toBe('member-router');
    expect(url.port).toBe(memberRouter.environment!.PORT);
    const cityAddresses = (environment: Record<string, string | null>) =>
      Object.fromEntries(Object.entries(environment).filter(([name]) => name.startsWith('SUBGRAPH_URL_') && name !== 'SUBGRAPH_URL_FORUM'));
    expect(Object.keys(cityAddresses(memberRouter.environment!))).toHaveLength(8);
    expect(cityAddresses(memberRouter.environment!)).toEqual(cityAddresses(compose.services.gateway!.environment!));
  });

  it("reads the gateway's SUBGRAPH_URL_<NAME> for a subgraph hosted elsewhere", () => {
    const elsewhere = asRouterReads(raw, { SUBGRAPH_URL_CITY: 'https://members.ruhr.example/graphql' });
    expect(elsewhere.override_subgraph_url.city).toBe('https://members.ruhr.example/graphql');
    expect(elsewhere.override_subgraph_url.forum).toBe(config.override_subgraph_url.forum);
  });

  it("gives up on each subgraph after the gateway's time limit, or its own SUBGRAPH_TIMEOUT_MS_<NAME>", () => {
    const expected = `${gateway.subgraphTimeoutMs}ms`;
    expect(config.traffic_shaping.all.timeout).toBe(expected);
    for (const name of names) expect(config.traffic_shaping.subgraphs[name]!.timeout).toBe(expected);
    const slowForum = asRouterReads(raw, { SUBGRAPH_TIMEOUT_MS_FORUM: '5000' });
    expect(slowForum.traffic_shaping.subgraphs.forum!.timeout).toBe('5000ms');
    expect(slowForum.traffic_shaping.subgraphs.city!.timeout).toBe(expected);
  });
});

describe('the limits', () => {
  it("are the gateway's defaults", () => {
    expect(config.limits.router).toEqual({
      max_depth: limits.query.maxDepth,
      max_aliases: limits.query.maxAliases,
      parser_max_tokens: limits.query.maxTokens,
      http_max_request_bytes: limits.requestBodyBytes,
    });
    expect(config.traffic_shaping.router.timeout).toBe(`${limits.requestTimeoutMs}ms`);
    expect(config.supergraph.introspection).toBe(limits.anonymousIntrospection);
    expect(config.cors.policies).toEqual(limits.corsOrigins.length > 0 ? [{ origins: limits.corsOrigins }] : []);
    expect(config.csrf).toEqual({ unsafe_disabled: false, required_headers: ['x-apollo-operation-name', 'apollo-require-preflight'] });
  });

  it("follow the gateway's variables", () => {
    const strict = asRouterReads(raw, { QUERY_MAX_DEPTH: '6', REQUEST_MAX_BYTES: '1048576', INTROSPECTION_ANONYMOUS: 'false' });
    expect(strict.limits.router).toMatchObject({ max_depth: 6, http_max_request_bytes: 1048576 });
    expect(strict.supergraph.introspection).toBe(false);
  });

  it('are each either applied or named in the file as not applied the same way', () => {
    const configuration = readFileSync(fromProjectRoot('docs', 'configuration.md'), 'utf8');
    const limitsSection = configuration.slice(configuration.indexOf('## Limits'), configuration.indexOf('\n## ', configuration.indexOf('## Limits') + 1));
    const variables = [...limitsSection.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((match) => match[1]!);
    expect(variables).toEqual(expect.arrayContaining(['QUERY_MAX_COST', 'RATE_LIMIT_PER_USER', 'CORS_ORIGINS']));
    const headerComment = routerYaml.split('\n').filter((line) => line.startsWith('#')).join('\n');
    for (const variable of variables) {
      expect({ variable, handled: routerYaml.includes(`\${env.${variable}:-`) || headerComment.includes(variable) }).toEqual({ variable, handled: true });
    }
  });
});

describe('the users and their credentials towards the subgraphs', () => {
  it('sends every subgraph request through the coprocessor, with the user\'s token, the subgraph\'s name and the body a write credential is bound to', () => {
    const coprocessor = new URL(String(config.coprocessor.url));
    expect(coprocessor.hostname).toBe('router-coprocessor');
    expect(coprocessor.port).toBe(compose.services['router-coprocessor']!.environment!.PORT);
    expect(coprocessor.pathname).toBe(COPROCESSOR_PATH);
    expect(config.coprocessor.subgraph.all.request).toEqual({ headers: true, body: true, service_name: true });
    expect(config.headers.all.request.map((rule) => rule.propagate.named)).toEqual(expect.arrayContaining(['authorization', 'accept-language']));
  });

  it('checks user tokens with the AUTH_* settings of the gateway, by default the hub\'s own, published by the coprocessor', () => {
    const [keys] = config.authentication.router.jwt.jwks;
    expect(keys).toEqual({ url: `http://router-coprocessor:${compose.services['router-coprocessor']!.environment!.PORT}${USER_JWKS_PATH}`, issuers: [LOCAL_ISSUER], audiences: [DEFAULT_AUDIENCE] });
    const keycloak = asRouterReads(raw, {
      AUTH_JWKS_URL: 'https://id.example/realms/forum/protocol/openid-connect/certs',
      AUTH_ISSUER: 'https://id.example/realms/forum',
    });
    expect(keycloak.authentication.router.jwt.jwks[0]).toEqual({
      url: 'https://id.example/realms/forum/protocol/openid-connect/certs',
      issuers: ['https://id.example/realms/forum'],
      audiences: [DEFAULT_AUDIENCE],
    });
  });

  it("calls the subgraphs over mutual TLS with the gateway's client certificate and the hub's CA, mounted into its container", () => {
    const files = config.tls.subgraph.all;
    const mounted = new Map(compose.services.router!.volumes!.map((volume) => volume.split(':') as [string, string, string]).map(([from, to]) => [to, from]));
    const source = (reference: string) => mounted.get(/^\$\{file\.(.+)\}$/.exec(reference)![1]!);
    expect(source(files.certificate_authorities)).toBe('./.data/certs/ca.crt');
    expect(source(files.client_authentication.certificate_chain)).toBe('./.data/certs/gateway.crt');
    expect(source(files.client_authentication.key)).toBe('./.data/certs/gateway.key');
    for (const url of Object.values(config.override_subgraph_url)) expect(String(url)).toMatch(/^https:\/\//);
  });

  it("passes the subgraphs' errors on, whose codes clients act on", () => {
    expect(config.include_subgraph_errors).toEqual({ all: true });
  });
});

it('serves the GraphQL API at /graphql and nothing else of the hub', () => {
  expect(config.supergraph.path).toBe('/graphql');
  expect(config.homepage.enabled).toBe(false);
  expect(config.sandbox.enabled).toBe(false);
});
