import { stringify } from 'yaml';
import type { Registry } from '../services/common/registry';
import { DEFAULT_COPROCESSOR_PORT } from '../services/router-coprocessor/config';
import { composeSubgraphAddresses, MEMBER_ROUTER_HOST } from './compose-addresses';
import { CITY_ROUTER_PORT } from '../services/common/routing/city-subgraph';
import {
  COMPOSE_DATABASE,
  COMPOSE_SUPERUSER,
  KEYCLOAK_ADMIN_PASSWORD_VARIABLE,
  POSTGRES_INIT_DIRECTORY,
  POSTGRES_INIT_SCRIPT,
  SUPERUSER_PASSWORD_VARIABLE,
  composeDatabaseServices,
  composeDatabaseUrl,
  requiredVariable,
} from './compose-database';
import { ROUTER_CERTS_DIR, ROUTER_IMAGE, ROUTER_PORT } from './router-config';

/**
 * Asks the service's own `/ready`; the image has Node and nothing else to ask with. Subgraphs answer it on their plain
 * HEALTH_PORT, since their PORT takes only clients with the gateway's certificate.
 */
const READY_CHECK =
  "fetch('http://127.0.0.1:' + (process.env.HEALTH_PORT || process.env.PORT) + '/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))";

/** Where `npm run certs` writes the certificates on the host, and where the containers find theirs. */
export const CERTS_ON_HOST = './.data/certs';
const CERTS_IN_CONTAINER = '/app/certs';
/** Where the subgraphs answer `/health` and `/ready` without TLS, inside their own containers. */
const SUBGRAPH_HEALTH_PORT = '8081';
/** The files of one certificate, mounted read-only: `<name>.crt` and `.key` from the host as `<as>.crt` and `.key`. */
const certificateMounts = (name: string, as: string, inContainer = CERTS_IN_CONTAINER) => [
  `${CERTS_ON_HOST}/${name}.crt:${inContainer}/${as}.crt:ro`,
  `${CERTS_ON_HOST}/${name}.key:${inContainer}/${as}.key:ro`,
];
/** The hub's CA certificate, never its key. */
export const caMount = (inContainer = CERTS_IN_CONTAINER) => `${CERTS_ON_HOST}/ca.crt:${inContainer}/ca.crt:ro`;

/** Keycloak's image; the realm file (schema/keycloak/forum-realm.json) is imported on its first start. */
export const KEYCLOAK_IMAGE = 'quay.io/keycloak/keycloak:26.4';
export const KEYCLOAK_REALM_FILE = 'schema/keycloak/forum-realm.json';
/** Where the browser reaches Keycloak (its issuer), and where the containers fetch its keys. */
export const KEYCLOAK_PUBLIC_URL = 'http://localhost:8080';
const KEYCLOAK_INTERNAL_URL = 'http://keycloak:8080';

/**
 * How the gateway, the forum and the router's coprocessor trust Keycloak's realm `forum` (docs/security.md): its
 * issuer as browsers see it, its keys from inside the network, roles as realm roles, the city as a user attribute.
 */
export function keycloakTrust(realm = 'forum'): Record<string, string> {
  return {
    AUTH_ISSUER: `${KEYCLOAK_PUBLIC_URL}/realms/${realm}`,
    AUTH_JWKS_URL: `${KEYCLOAK_INTERNAL_URL}/realms/${realm}/protocol/openid-connect/certs`,
    AUTH_AUDIENCE: 'integration-forum-hub',
    AUTH_ROLES_CLAIM: 'realm_access.roles',
    AUTH_CITY_CLAIM: 'city',
  };
}
/**
 * Redis for the gateway tier: the response cache, its generation and the rate-limit counts that gateway replicas share
 * (docs/deployment.md). Nothing in it must survive a restart, so it keeps nothing on disk (no snapshots; the
 * append-only file is off by default); it holds at most REDIS_MAX_MEMORY and then evicts among the keys that expire
 * anyway (cached answers, counts), never the generation.
 */
export const REDIS_IMAGE = 'redis:7.4';
const REDIS_MAX_MEMORY = '256mb';
export const COMPOSE_REDIS_URL = 'redis://redis:6379';

/** Where the `router` profile publishes Apollo Router: beside our gateway's 4000, clear of the ports `npm start` uses. */
export const ROUTER_PUBLISHED_PORT = 4080;

/**
 * docker-compose.yml for the whole federation: PostgreSQL, the forum, one service per registry member, Redis and the
 * gateway; with the profile `router`, also Apollo Router and its coprocessor serving the same supergraph
 * (schema/router.yaml). Generated with the schema, so a new member gets its service by the same command.
 */
export function dockerCompose(registry: Registry): string {
  const node = (command: string[], environment: Record<string, string>) => ({
    image: 'integration-forum-hub:local',
    build: '.',
    command,
    environment: { HOST: '0.0.0.0', LOG_LEVEL: 'info', ...environment },
    depends_on: { postgres: { condition: 'service_healthy' } },
    restart: 'unless-stopped',
    healthcheck: { test: ['CMD', 'node', '-e', READY_CHECK], interval: '10s', timeout: '3s', retries: 3, start_period: '30s' },
  });
  const databases = new Map(composeDatabaseServices(registry).map((database) => [database.service, database]));
  const subgraphEnvironment = (service: string, port: number) => ({
    PORT: String(port),
    // Each service logs in as its own runtime role, and migrates as its schema's owner; none knows the superuser's
    // password, nor another service's.
    DATABASE_URL: composeDatabaseUrl(databases.get(service)!.roles.runtime, databases.get(service)!.runtimePasswordVariable),
    DATABASE_OWNER_URL: composeDatabaseUrl(databases.get(service)!.roles.owner, databases.get(service)!.ownerPasswordVariable),
    // Subgraphs answer only calls signed by the gateway, whose public key it serves here.
    GATEWAY_JWKS_URL: 'http://gateway:4000/.well-known/jwks.json',
    // The compose stack is a demonstration: it loads the demo data set (estimates) into the empty databases.
    DEMO_DATA: 'true',
    // Mutual TLS: only a client with the gateway's certificate from the hub's CA gets past the handshake.
    TLS_CERT_FILE: `${CERTS_IN_CONTAINER}/server.crt`,
    TLS_KEY_FILE: `${CERTS_IN_CONTAINER}/server.key`,
    TLS_CLIENT_CA_FILE: `${CERTS_IN_CONTAINER}/ca.crt`,
    HEALTH_PORT: SUBGRAPH_HEALTH_PORT,
  });
  const subgraphCertificates = (host: string) => [caMount(), ...certificateMounts(host, 'server')];

  const services: Record<string, unknown> = {
    postgres: {
      image: 'postgres:16',
      environment: {
        POSTGRES_USER: COMPOSE_SUPERUSER,
        POSTGRES_PASSWORD: requiredVariable(SUPERUSER_PASSWORD_VARIABLE),
        POSTGRES_DB: COMPOSE_DATABASE,
        // For the init script, which makes every service's roles with them on the first start.
        ...Object.fromEntries(
          [...databases.values()].flatMap((database) => [database.runtimePasswordVariable, database.ownerPasswordVariable]).map((name) => [name, requiredVariable(name)]),
        ),
      },
      volumes: ['postgres-data:/var/lib/postgresql/data', `./${POSTGRES_INIT_SCRIPT}:${POSTGRES_INIT_DIRECTORY}/roles.sql:ro`],
      healthcheck: { test: ['CMD', 'pg_isready', '-U', COMPOSE_SUPERUSER, '-d', COMPOSE_DATABASE], interval: '2s', timeout: '2s', retries: 30 },
    },
    keycloak: {
      image: KEYCLOAK_IMAGE,
      command: ['start-dev', '--import-realm'],
      environment: {
        KC_BOOTSTRAP_ADMIN_USERNAME: 'admin',
        KC_BOOTSTRAP_ADMIN_PASSWORD: requiredVariable(KEYCLOAK_ADMIN_PASSWORD_VARIABLE),
        // Tokens name the issuer browsers use, also when the gateway fetches the keys as http://keycloak:8080.
        KC_HOSTNAME: KEYCLOAK_PUBLIC_URL,
        KC_HOSTNAME_BACKCHANNEL_DYNAMIC: 'true',
      },
      volumes: [`./${KEYCLOAK_REALM_FILE}:/opt/keycloak/data/import/forum-realm.json:ro`],
      ports: ['8080:8080'],
      restart: 'unless-stopped',
    },
    redis: {
      image: REDIS_IMAGE,
      command: ['redis-server', '--save', '', '--maxmemory', REDIS_MAX_MEMORY, '--maxmemory-policy', 'volatile-lru'],
      restart: 'unless-stopped',
      healthcheck: { test: ['CMD', 'redis-cli', 'ping'], interval: '5s', timeout: '2s', retries: 5 },
    },
    forum: {
      ...node(['node', 'dist/services/forum/main.js'], { ...subgraphEnvironment('forum', registry.forum.port), ...keycloakTrust() }),
      // The forum issues tokens for administrators with the same key the gateway checks them with.
      volumes: ['keys:/app/.data/keys', ...subgraphCertificates('forum')],
    },
  };
  for (const member of registry.members) {
    services[`city-${member.id}`] = {
      ...node(['node', 'dist/services/city/main.js', member.id], subgraphEnvironment(member.id, member.port)),
      volumes: subgraphCertificates(`city-${member.id}`),
    };
  }
  const subgraphs = composeSubgraphAddresses(registry);
  const subgraphServices = ['forum', ...registry.members.map((member) => `city-${member.id}`)];
  services.gateway = {
    ...node(['node', 'dist/gateway/main.js'], {
      PORT: '4000',
      SUBGRAPH_TIMEOUT_MS: '3000',
      ...keycloakTrust(),
      DASHBOARD_OIDC_CLIENT_ID: 'dashboard',
      ...Object.fromEntries(subgraphs.map(({ name, url }) => [`SUBGRAPH_URL_${name.toUpperCase()}`, url])),
      // Its client certificate towards the subgraphs, and the CA their server certificates are checked against.
      SUBGRAPH_TLS_CA_FILE: `${CERTS_IN_CONTAINER}/ca.crt`,
      SUBGRAPH_TLS_CERT_FILE: `${CERTS_IN_CONTAINER}/gateway.crt`,
      SUBGRAPH_TLS_KEY_FILE: `${CERTS_IN_CONTAINER}/gateway.key`,
      // Every replica of the gateway points here, so that they share one cache and one set of rate-limit counts.
      REDIS_URL: COMPOSE_REDIS_URL,
    }),
    // Started, not healthy: a gateway without Redis still answers (uncached), so Redis is no reason to wait.
    depends_on: Object.fromEntries(['redis', 'keycloak', ...subgraphServices].map((name) => [name, { condition: 'service_started' }])),
    ports: ['4000:4000'],
    // The hub's own keys (tokens it issues, its credential towards the subgraphs) survive restarts.
    volumes: ['keys:/app/.data/keys', caMount(), ...certificateMounts('gateway', 'gateway')],
  };

  // The router cannot sign our subgraph credentials; its coprocessor does, with the gateway's key. Not published:
  // whoever reaches it gets credentials the subgraphs accept.
  const { depends_on: _noDatabase, ...coprocessor } = node(['node', 'dist/services/router-coprocessor/main.js'], {
    PORT: String(DEFAULT_COPROCESSOR_PORT),
    ...keycloakTrust(),
  });
  services['router-coprocessor'] = { ...coprocessor, profiles: ['router'], volumes: ['keys:/app/.data/keys'] };
  // Apollo Router calls the one city subgraph here; it sends each municipality's part to that city's service. It
  // takes the credentials the coprocessor signs (with the gateway's key) and signs each part with that same key
  // (keys volume), which the cities already trust; docs/routing.md has the chain for a router on a host of its own.
  const { depends_on: _noDatabaseForTheRouter, ...memberRouter } = node(['node', 'dist/services/router/main.js'], {
    PORT: String(CITY_ROUTER_PORT),
    SUBGRAPH_TIMEOUT_MS: '3000',
    ...Object.fromEntries(subgraphs.filter(({ name }) => name !== 'forum').map(({ name, url }) => [`SUBGRAPH_URL_${name.toUpperCase()}`, url])),
    GATEWAY_JWKS_URL: 'http://gateway:4000/.well-known/jwks.json',
    TLS_CERT_FILE: `${CERTS_IN_CONTAINER}/server.crt`,
    TLS_KEY_FILE: `${CERTS_IN_CONTAINER}/server.key`,
    TLS_CLIENT_CA_FILE: `${CERTS_IN_CONTAINER}/ca.crt`,
    HEALTH_PORT: SUBGRAPH_HEALTH_PORT,
    SUBGRAPH_TLS_CA_FILE: `${CERTS_IN_CONTAINER}/ca.crt`,
    SUBGRAPH_TLS_CERT_FILE: `${CERTS_IN_CONTAINER}/gateway.crt`,
    SUBGRAPH_TLS_KEY_FILE: `${CERTS_IN_CONTAINER}/gateway.key`,
    // Write credentials are accepted once, also across replicas of the router.
    REDIS_URL: COMPOSE_REDIS_URL,
  });
  services[MEMBER_ROUTER_HOST] = {
    ...memberRouter,
    profiles: ['router'],
    volumes: ['keys:/app/.data/keys', ...subgraphCertificates(MEMBER_ROUTER_HOST), ...certificateMounts('gateway', 'gateway')],
    depends_on: Object.fromEntries(['redis', ...subgraphServices.filter((name) => name !== 'forum')].map((name) => [name, { condition: 'service_started' }])),
  };
  services.router = {
    image: ROUTER_IMAGE,
    profiles: ['router'],
    environment: {
      APOLLO_ROUTER_CONFIG_PATH: '/dist/config/router.yaml',
      APOLLO_ROUTER_SUPERGRAPH_PATH: '/dist/schema/supergraph.graphql',
      // The coprocessor, JWT authentication and operation limits are GraphOS features: the router fetches its licence
      // with these, passed through from the shell (docs/deployment.md). Without them it refuses to start.
      APOLLO_KEY: null,
      APOLLO_GRAPH_REF: null,
      APOLLO_TELEMETRY_DISABLED: 'true',
    },
    volumes: [
      './schema/router.yaml:/dist/config/router.yaml:ro',
      './schema/supergraph.graphql:/dist/schema/supergraph.graphql:ro',
      // The gateway's client certificate: the router calls the subgraphs in its place (tls in schema/router.yaml).
      caMount(ROUTER_CERTS_DIR),
      ...certificateMounts('gateway', 'gateway', ROUTER_CERTS_DIR),
    ],
    depends_on: {
      'router-coprocessor': { condition: 'service_healthy' },
      forum: { condition: 'service_started' },
      [MEMBER_ROUTER_HOST]: { condition: 'service_started' },
    },
    restart: 'unless-stopped',
    ports: [`${ROUTER_PUBLISHED_PORT}:${ROUTER_PORT}`],
  };

  return stringify({ name: 'integration-forum-hub', services, volumes: { 'postgres-data': {}, keys: {} } }, { lineWidth: 0 });
}
