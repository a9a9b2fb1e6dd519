import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { serviceRoles } from '../../services/common/database-roles';
import { loadRegistry } from '../../services/common/registry';
import { fromProjectRoot } from '../../services/common/project-root';

/**
 * docker-compose.yml cannot run here (no Docker engine), so this checks what it must say: a service for every
 * registry member, the forum, PostgreSQL, Redis and the gateway, each with the environment it needs.
 */
interface ComposeService {
  image?: string;
  command?: string[];
  profiles?: string[];
  volumes?: string[];
  environment?: Record<string, string | null>;
  depends_on?: Record<string, { condition: string }>;
  ports?: string[];
  healthcheck?: { test: string[] };
}

const compose = parse(readFileSync(fromProjectRoot('docker-compose.yml'), 'utf8')) as { services: Record<string, ComposeService> };
const initScript = readFileSync(fromProjectRoot('schema', 'postgres-init', 'roles.sql'), 'utf8');
const registry = loadRegistry();
const subgraphServices = ['forum', ...registry.members.map((member) => `city-${member.id}`)];
const schemaOf = (service: string) => (service === 'forum' ? 'forum' : service.replace(/^city-/, 'city_'));
const passwordVariable = /\$\{([A-Z0-9_]+):\?[^}]*\}/g;

it('runs PostgreSQL and the forum', () => {
  expect(compose.services.postgres).toBeDefined();
  expect(compose.services.forum!.command).toEqual(['node', 'dist/services/forum/main.js']);
  expect(compose.services.forum!.environment).toMatchObject({
    DATABASE_URL: expect.stringMatching(/^postgres:\/\/integration_forum_hub_forum_app:.*@postgres:5432\/integration_forum_hub$/),
    DATABASE_OWNER_URL: expect.stringMatching(/^postgres:\/\/integration_forum_hub_forum_owner:.*@postgres:5432\/integration_forum_hub$/),
    PORT: String(registry.forum.port),
    HOST: '0.0.0.0',
    GATEWAY_JWKS_URL: 'http://gateway:4000/.well-known/jwks.json',
  });
});

it.each(registry.members.map((member) => [member.id, member]))('runs the city %s with its database, port and address', (id, member) => {
  const service = compose.services[`city-${id}`];
  expect(service).toBeDefined();
  expect(service!.command).toEqual(['node', 'dist/services/city/main.js', id]);
  expect(service!.environment).toMatchObject({
    DATABASE_URL: expect.stringMatching(new RegExp(`^postgres://integration_forum_hub_city_${id}_app:.*@postgres:5432/integration_forum_hub$`)),
    DATABASE_OWNER_URL: expect.stringMatching(new RegExp(`^postgres://integration_forum_hub_city_${id}_owner:.*@postgres:5432/integration_forum_hub$`)),
    PORT: String(member.port),
    HOST: '0.0.0.0',
    GATEWAY_JWKS_URL: 'http://gateway:4000/.well-known/jwks.json',
  });
  expect(service!.depends_on).toHaveProperty('postgres');
});

describe('database roles', () => {
  const environment = (name: string) => Object.values(compose.services[name]!.environment ?? {}).join('\n');
  const passwordsIn = (text: string) => [...text.matchAll(passwordVariable)].map((match) => match[1]!);

  it('gives each service the passwords of its own two roles and nobody else\'s, and the superuser\'s to PostgreSQL alone', () => {
    for (const name of subgraphServices) {
      const prefix = name === 'forum' ? 'FORUM' : name.replace(/^city-/, '').toUpperCase();
      expect(passwordsIn(environment(name)).sort()).toEqual([`${prefix}_DB_OWNER_PASSWORD`, `${prefix}_DB_PASSWORD`]);
    }
    for (const [name, service] of Object.entries(compose.services)) {
      if (name === 'postgres') continue;
      expect(Object.keys(service.environment ?? {})).not.toContain('POSTGRES_PASSWORD');
      expect(environment(name)).not.toMatch(/POSTGRES_PASSWORD|\/\/postgres[:@]/);
    }
    expect(compose.services.postgres!.environment).toMatchObject({ POSTGRES_USER: 'postgres', POSTGRES_PASSWORD: expect.stringMatching(passwordVariable) });
  });

  it('takes every password from the host (.env), with no default in the file', () => {
    for (const service of Object.values(compose.services)) {
      for (const value of Object.values(service.environment ?? {})) {
        if (value?.includes('PASSWORD')) expect(value).toMatch(passwordVariable);
      }
    }
  });

  it('makes every service\'s roles with an init script on the first start, with the passwords the services log in with', () => {
    expect(compose.services.postgres!.volumes).toContain('./schema/postgres-init/roles.sql:/docker-entrypoint-initdb.d/roles.sql:ro');
    const postgresEnvironment = compose.services.postgres!.environment!;
    for (const name of subgraphServices) {
      const roles = serviceRoles('integration_forum_hub', schemaOf(name));
      const urls = compose.services[name]!.environment!;
      for (const [url, role] of [[urls.DATABASE_URL!, roles.runtime], [urls.DATABASE_OWNER_URL!, roles.owner]] as const) {
        const [variable] = passwordsIn(url);
        expect(url.startsWith(`postgres://${role}:`)).toBe(true);
        // The script reads the same variable from the postgres container's environment and gives it to the same role.
        expect(postgresEnvironment[variable!]).toBe(`\${${variable}:?run npm run compose:secrets (docs/deployment.md)}`);
        expect(initScript).toContain(`\\getenv ${variable!.toLowerCase()} ${variable}`);
        expect(initScript).toContain(`CREATE ROLE "${role}"`);
      }
      expect(initScript).toContain(`CREATE SCHEMA "${schemaOf(name)}" AUTHORIZATION "${roles.owner}"`);
    }
  });
});

it('shares the hub\'s keys between the gateway and the forum, which issues tokens', () => {
  expect(compose.services.gateway!.volumes).toContain('keys:/app/.data/keys');
  expect(compose.services.forum!.volumes).toContain('keys:/app/.data/keys');
});

it('points the gateway at every subgraph and publishes it', () => {
  const gateway = compose.services.gateway!;
  expect(gateway.command).toEqual(['node', 'dist/gateway/main.js']);
  expect(gateway.ports).toEqual(['4000:4000']);
  expect(gateway.environment).toMatchObject({ PORT: '4000', HOST: '0.0.0.0', SUBGRAPH_URL_FORUM: `https://forum:${registry.forum.port}/graphql` });
  for (const member of registry.members) {
    expect(gateway.environment![`SUBGRAPH_URL_${member.id.toUpperCase()}`]).toBe(`https://city-${member.id}:${member.port}/graphql`);
  }
});

/** Where a container finds a file, and which file of the host it is. */
const mounts = (service: ComposeService) =>
  new Map((service.volumes ?? []).map((volume) => volume.split(':') as [string, string, string?]).map(([from, to, mode]) => [to, { from, mode }]));

describe('mutual TLS between the gateway and the subgraphs', () => {
  const subgraphs = [['forum', 'forum'], ...registry.members.map((member) => [`city-${member.id}`, `city-${member.id}`])];

  it.each(subgraphs)('%s serves HTTPS with its own certificate from npm run certs, and lets in only clients of the hub\'s CA', (service) => {
    const environment = compose.services[service]!.environment!;
    const mounted = mounts(compose.services[service]!);
    expect(mounted.get(environment.TLS_CERT_FILE!)).toEqual({ from: `./.data/certs/${service}.crt`, mode: 'ro' });
    expect(mounted.get(environment.TLS_KEY_FILE!)).toEqual({ from: `./.data/certs/${service}.key`, mode: 'ro' });
    expect(mounted.get(environment.TLS_CLIENT_CA_FILE!)).toEqual({ from: './.data/certs/ca.crt', mode: 'ro' });
    // Its health check has no client certificate: it asks the plain health port.
    expect(environment.HEALTH_PORT).toMatch(/^\d+$/);
    expect(compose.services[service]!.healthcheck!.test.join(' ')).toContain('process.env.HEALTH_PORT');
  });

  it("gives the gateway its client certificate and the hub's CA, and nobody the CA's key", () => {
    const gateway = compose.services.gateway!;
    const mounted = mounts(gateway);
    expect(mounted.get(gateway.environment!.SUBGRAPH_TLS_CERT_FILE!)).toEqual({ from: './.data/certs/gateway.crt', mode: 'ro' });
    expect(mounted.get(gateway.environment!.SUBGRAPH_TLS_KEY_FILE!)).toEqual({ from: './.data/certs/gateway.key', mode: 'ro' });
    expect(mounted.get(gateway.environment!.SUBGRAPH_TLS_CA_FILE!)).toEqual({ from: './.data/certs/ca.crt', mode: 'ro' });
    const everyMount = Object.values(compose.services).flatMap((service) => service.volumes ?? []);
    expect(everyMount.filter((volume) => volume.includes('ca.key'))).toEqual([]);
    // Only the gateway tier holds the client certificate: the gateway, or Apollo Router and the member router behind it.
    expect(Object.entries(compose.services).filter(([, service]) => (service.volumes ?? []).some((volume) => volume.includes('gateway.key'))).map(([name]) => name).sort()).toEqual([
      'gateway',
      'member-router',
      'router',
    ]);
  });
});

describe('Redis for the gateway tier', () => {
  it('runs Redis, keeping nothing on disk and evicting only what expires anyway, so never the cache generation', () => {
    const redis = compose.services.redis!;
    expect(redis.image).toMatch(/^redis:\d+\.\d+$/);
    expect(redis.command).toEqual(expect.arrayContaining(['--save', '', '--maxmemory-policy', 'volatile-lru']));
    expect(redis.healthcheck!.test).toEqual(['CMD', 'redis-cli', 'ping']);
    expect(redis.ports).toBeUndefined();
  });

  it('points the gateway at it, and starts the gateway without waiting for it to be healthy', () => {
    const gateway = compose.services.gateway!;
    expect(gateway.environment!.REDIS_URL).toBe('redis://redis:6379');
    expect(gateway.depends_on!.redis).toEqual({ condition: 'service_started' });
  });
});

it('runs nothing the registry does not know', () => {
  // Keycloak: the identity provider the hub's settings there trust (schema/keycloak/forum-realm.json).
  const expected = ['postgres', 'keycloak', 'redis', 'forum', 'gateway', ...registry.members.map((member) => `city-${member.id}`)];
  const byDefault = Object.entries(compose.services).filter(([, service]) => service.profiles === undefined);
  expect(byDefault.map(([name]) => name).sort()).toEqual(expected.sort());
  expect(Object.keys(compose.services).filter((name) => !expected.includes(name)).sort()).toEqual(['member-router', 'router', 'router-coprocessor']);
});

describe('the router profile', () => {
  const router = compose.services.router!;
  const coprocessor = compose.services['router-coprocessor']!;

  it('runs the official Apollo Router image, pinned to a v2 release, only when asked for', () => {
    expect(router.image).toMatch(/^ghcr\.io\/apollographql\/router:v2\.\d+\.\d+$/);
    expect(router.profiles).toEqual(['router']);
    expect(coprocessor.profiles).toEqual(['router']);
  });

  it('serves the checked-in supergraph with the generated router.yaml', () => {
    const mounts = new Map(router.volumes!.map((volume) => volume.split(':') as [string, string, string]).map(([from, to, mode]) => [to, { from, mode }]));
    expect(mounts.get(router.environment!.APOLLO_ROUTER_SUPERGRAPH_PATH!)).toEqual({ from: './schema/supergraph.graphql', mode: 'ro' });
    expect(mounts.get(router.environment!.APOLLO_ROUTER_CONFIG_PATH!)).toEqual({ from: './schema/router.yaml', mode: 'ro' });
  });

  it("takes the GraphOS licence's key and graph from the shell, never from the file", () => {
    expect(router.environment).toMatchObject({ APOLLO_KEY: null, APOLLO_GRAPH_REF: null });
  });

  it('is published on a port of its own, beside the gateway', () => {
    const published = router.ports!.map((mapping) => mapping.split(':')[0]);
    expect(published).toHaveLength(1);
    expect(compose.services.gateway!.ports!.map((mapping) => mapping.split(':')[0])).not.toContain(published[0]);
  });

  it('starts once its coprocessor is ready, which signs with the gateway\'s key and is not published', () => {
    expect(router.depends_on!['router-coprocessor']).toEqual({ condition: 'service_healthy' });
    expect(coprocessor.command).toEqual(['node', 'dist/services/router-coprocessor/main.js']);
    expect(coprocessor.volumes).toEqual(compose.services.gateway!.volumes!.filter((volume) => volume.startsWith('keys:')));
    expect(coprocessor.ports).toBeUndefined();
    expect(coprocessor.healthcheck!.test.join(' ')).toContain("'/ready'");
  });
});

it("checks every service of the hub by its own /ready", () => {
  for (const name of ['forum', 'gateway', ...registry.members.map((member) => `city-${member.id}`)]) {
    expect(compose.services[name]!.healthcheck!.test.join(' ')).toContain("'/ready'");
  }
});
