import { stringify } from 'yaml';
import { readGatewayConfig } from '../gateway/config';
import { DEFAULT_AUDIENCE, LOCAL_ISSUER } from '../services/common/auth/issuers';
import { readLimits } from '../services/common/limits';
import type { Registry } from '../services/common/registry';
import { COPROCESSOR_PATH, DEFAULT_COPROCESSOR_PORT, USER_JWKS_PATH } from '../services/router-coprocessor/config';
import { composeRouterSubgraphAddresses } from './compose-addresses';

/** The official Apollo Router image the `router` profile runs; the keys below are those of its configuration. */
export const ROUTER_IMAGE = 'ghcr.io/apollographql/router:v2.16.3';
/** Where the coprocessor answers inside the compose network. */
export const COPROCESSOR_ADDRESS = `http://router-coprocessor:${DEFAULT_COPROCESSOR_PORT}`;
/** The router's GraphQL port inside its container, and its health check's. */
export const ROUTER_PORT = 4000;
export const ROUTER_HEALTH_PORT = 8088;
/** Where the router's container finds the hub's CA and the gateway's client certificate (docker-compose.yml mounts them). */
export const ROUTER_CERTS_DIR = '/dist/certs';

/**
 * A value the router takes from the same environment variable as our gateway, with the gateway's default. The router
 * expands `${env.NAME:-default}` when it loads the file (and makes numbers and booleans of the result), so one set of
 * variables (docs/configuration.md) configures either tier. Defaults cannot nest: a variable with a fallback variable
 * (SUBGRAPH_TIMEOUT_MS_<NAME>, then SUBGRAPH_TIMEOUT_MS) falls back to the gateway's default number instead.
 */
export function fromEnvironment(variable: string, fallback: string | number | boolean): string {
  return `\${env.${variable}:-${fallback}}`;
}

/** What the router cannot express the way our gateway does: written at the top of schema/router.yaml, explained in docs/deployment.md. */
export const NOT_MIRRORED: ReadonlyArray<{ setting: string; why: string }> = [
  { setting: 'QUERY_MAX_COST', why: "our cost estimate is graphql-armor's; the router's demand control uses another cost model and is not set" },
  { setting: 'QUERY_MAX_DIRECTIVES', why: 'the router has no limit on directives per operation' },
  {
    setting: 'RATE_LIMIT_PER_USER, RATE_LIMIT_PER_ADDRESS, RATE_LIMIT_WINDOW_MS',
    why: 'the router limits all traffic together (traffic_shaping.router.global_rate_limit), not per user or address; put a per-client limit in the reverse proxy',
  },
  { setting: 'TRUST_PROXY', why: 'only our per-address rate limit needs the client address' },
  {
    setting: 'AUDIT_ANONYMOUS_REFUSALS_PER_MINUTE',
    why: 'a subgraph setting, not the gateway\'s: the subgraphs bound their audit rows of anonymous refusals behind the router as behind our gateway',
  },
  { setting: 'CORS_ORIGINS', why: 'a list cannot come from one variable; cors.policies below holds the default (none), edit it there' },
  {
    setting: 'INTROSPECTION_ANONYMOUS',
    why: 'the router allows the schema to everyone or no one: false here turns it off for signed-in users too; only true or false are understood',
  },
  { setting: 'QUERY_MAX_TOKENS', why: "mirrored as parser_max_tokens, but the router's parser counts its own tokens (whitespace and comments too), so the same number admits smaller documents" },
  { setting: 'QUERY_MAX_DEPTH', why: 'mirrored as max_depth, counted by the router\'s rules' },
  { setting: 'REQUEST_TIMEOUT_MS', why: 'mirrored as traffic_shaping.router.timeout, which bounds the whole request, not only receiving it' },
  {
    setting: 'SUBGRAPH_TIMEOUT_MS',
    why: "not read: each subgraph has its own entry below, defaulting to the gateway's default; set SUBGRAPH_TIMEOUT_MS_<NAME> per subgraph",
  },
  {
    setting: 'errors',
    why: "a city that does not answer yields the member router's CITY_UNAVAILABLE naming the city, passed on as a subgraph error, but not folded into one per city when several fields miss it; a token the JWT check below refuses gets the router's own 401, without our reason; one only our verifier refuses (an hr token naming no member city) yields UNAUTHENTICATED for each subgraph's part",
  },
];

/**
 * schema/router.yaml: Apollo Router (v2) serving schema/supergraph.graphql in place of our gateway, with the same
 * subgraph addresses, time limits and query limits, derived from the gateway's own defaults. Subgraph credentials
 * come from services/router-coprocessor. Coprocessors, JWT authentication and the operation limits are GraphOS
 * features: the router needs APOLLO_KEY and APOLLO_GRAPH_REF to start with them (docs/deployment.md).
 */
export function routerConfig(registry: Registry): string {
  const limits = readLimits({});
  const gateway = readGatewayConfig({});
  const subgraphs = composeRouterSubgraphAddresses(registry);
  const perSubgraph = <Value>(value: (name: string, url: string) => Value) =>
    Object.fromEntries(subgraphs.map(({ name, url }) => [name, value(name, url)]));

  const config = {
    supergraph: {
      listen: `0.0.0.0:${ROUTER_PORT}`,
      path: '/graphql',
      introspection: fromEnvironment('INTROSPECTION_ANONYMOUS', limits.anonymousIntrospection),
    },
    // The hub's own pages (dashboard, workbench) are served by our gateway; the router serves the API only.
    homepage: { enabled: false },
    sandbox: { enabled: false },
    health_check: { enabled: true, listen: `0.0.0.0:${ROUTER_HEALTH_PORT}`, path: '/health' },
    // As Apollo Server's CSRF prevention in our gateway: a POST must be JSON, a GET must carry one of these headers.
    csrf: { unsafe_disabled: false, required_headers: ['x-apollo-operation-name', 'apollo-require-preflight'] },
    cors: { policies: limits.corsOrigins.length > 0 ? [{ origins: limits.corsOrigins }] : [] },
    limits: {
      router: {
        max_depth: fromEnvironment('QUERY_MAX_DEPTH', limits.query.maxDepth),
        max_aliases: fromEnvironment('QUERY_MAX_ALIASES', limits.query.maxAliases),
        parser_max_tokens: fromEnvironment('QUERY_MAX_TOKENS', limits.query.maxTokens),
        http_max_request_bytes: fromEnvironment('REQUEST_MAX_BYTES', limits.requestBodyBytes),
      },
    },
    traffic_shaping: {
      router: { timeout: `${fromEnvironment('REQUEST_TIMEOUT_MS', limits.requestTimeoutMs)}ms` },
      all: { timeout: `${gateway.subgraphTimeoutMs}ms` },
      subgraphs: perSubgraph((name) => ({ timeout: `${fromEnvironment(`SUBGRAPH_TIMEOUT_MS_${name.toUpperCase()}`, gateway.subgraphTimeoutMs)}ms` })),
    },
    override_subgraph_url: perSubgraph((name, url) => fromEnvironment(`SUBGRAPH_URL_${name.toUpperCase()}`, url)),
    // Mutual TLS towards the subgraphs, as our gateway's SUBGRAPH_TLS_* (certificates from `npm run certs`).
    tls: {
      subgraph: {
        all: {
          certificate_authorities: `\${file.${ROUTER_CERTS_DIR}/ca.crt}`,
          client_authentication: { certificate_chain: `\${file.${ROUTER_CERTS_DIR}/gateway.crt}`, key: `\${file.${ROUTER_CERTS_DIR}/gateway.key}` },
        },
      },
    },
    // Subgraphs explain refusals and outages with codes (UNAUTHENTICATED, FORBIDDEN, DATABASE_UNAVAILABLE) clients act on.
    include_subgraph_errors: { all: true },
    // The coprocessor needs the user's token and language on each subgraph request; it replaces the token.
    headers: { all: { request: [{ propagate: { named: 'authorization' } }, { propagate: { named: 'accept-language' } }] } },
    authentication: {
      router: {
        jwt: {
          jwks: [
            {
              url: fromEnvironment('AUTH_JWKS_URL', `${COPROCESSOR_ADDRESS}${USER_JWKS_PATH}`),
              issuers: [fromEnvironment('AUTH_ISSUER', LOCAL_ISSUER)],
              audiences: [fromEnvironment('AUTH_AUDIENCE', DEFAULT_AUDIENCE)],
            },
          ],
        },
      },
    },
    coprocessor: {
      url: fromEnvironment('ROUTER_COPROCESSOR_URL', `${COPROCESSOR_ADDRESS}${COPROCESSOR_PATH}`),
      // Signing takes well under a millisecond; the margin is for a first fetch of the identity provider's keys.
      timeout: '1s',
      // The body too: a write's credential is bound to its operation and variables (docs/security.md).
      subgraph: { all: { request: { headers: true, body: true, service_name: true } } },
    },
  };

  const header = [
    'Apollo Router (v2) in place of our gateway: docker compose --profile router up (docs/deployment.md).',
    `Values come from the gateway's defaults; \${env.NAME:-default} reads the gateway's variable of that name.`,
    'Not mirrored, or not the same:',
    ...NOT_MIRRORED.map(({ setting, why }) => `  ${setting}: ${why}`),
  ];
  return `${header.map((line) => `# ${line}`).join('\n')}\n${stringify(config, { lineWidth: 0 })}`;
}
