import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { loadRegistry } from '../../services/common/registry';
import { fromProjectRoot } from '../../services/common/project-root';

/**
 * docker-compose.yml cannot run here (no Docker engine), so this checks what it must say: a service for every
 * registry member, the forum, PostgreSQL and the gateway, each with the environment it needs.
 */
interface ComposeService {
  command?: string[];
  volumes?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, unknown>;
  ports?: string[];
  healthcheck?: { test: string[] };
}

const compose = parse(readFileSync(fromProjectRoot('docker-compose.yml'), 'utf8')) as { services: Record<string, ComposeService> };
const registry = loadRegistry();

it('runs PostgreSQL and the forum', () => {
  expect(compose.services.postgres).toBeDefined();
  expect(compose.services.forum!.command).toEqual(['node', 'dist/services/forum/main.js']);
  expect(compose.services.forum!.environment).toMatchObject({
    DATABASE_URL: expect.stringMatching(/^postgres:\/\/.*@postgres:5432\//),
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
    DATABASE_URL: expect.stringMatching(/^postgres:\/\/.*@postgres:5432\//),
    PORT: String(member.port),
    HOST: '0.0.0.0',
    GATEWAY_JWKS_URL: 'http://gateway:4000/.well-known/jwks.json',
  });
  expect(service!.depends_on).toHaveProperty('postgres');
});

it('shares the hub\'s keys between the gateway and the forum, which issues tokens', () => {
  expect(compose.services.gateway!.volumes).toContain('keys:/app/.data/keys');
  expect(compose.services.forum!.volumes).toContain('keys:/app/.data/keys');
});

it('points the gateway at every subgraph and publishes it', () => {
  const gateway = compose.services.gateway!;
  expect(gateway.command).toEqual(['node', 'dist/gateway/main.js']);
  expect(gateway.ports).toEqual(['4000:4000']);
  expect(gateway.environment).toMatchObject({ PORT: '4000', HOST: '0.0.0.0', SUBGRAPH_URL_FORUM: `http://forum:${registry.forum.port}/graphql` });
  for (const member of registry.members) {
    expect(gateway.environment![`SUBGRAPH_URL_${member.id.toUpperCase()}`]).toBe(`http://city-${member.id}:${member.port}/graphql`);
  }
});

it('runs nothing the registry does not know', () => {
  const expected = ['postgres', 'forum', 'gateway', ...registry.members.map((member) => `city-${member.id}`)];
  expect(Object.keys(compose.services).sort()).toEqual(expected.sort());
});

it("checks every service of the hub by its own /ready", () => {
  for (const name of ['forum', 'gateway', ...registry.members.map((member) => `city-${member.id}`)]) {
    expect(compose.services[name]!.healthcheck!.test.join(' ')).toContain("'/ready'");
  }
});
