import { stringify } from 'yaml';
import type { Registry } from '../services/common/registry';

export const DATABASE_URL_IN_COMPOSE = 'postgres://forum:forum@postgres:5432/integration_forum_hub';

/** Asks the service's own `/ready`; the image has Node and nothing else to ask with. */
const READY_CHECK = "fetch('http://127.0.0.1:' + process.env.PORT + '/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))";

/**
 * docker-compose.yml for the whole federation: PostgreSQL, the forum, one service per registry member and the
 * gateway. Generated with the schema, so a new member gets its service by the same command.
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
  const subgraphEnvironment = (port: number) => ({
    PORT: String(port),
    DATABASE_URL: DATABASE_URL_IN_COMPOSE,
    // Subgraphs answer only calls signed by the gateway, whose public key it serves here.
    GATEWAY_JWKS_URL: 'http://gateway:4000/.well-known/jwks.json',
    // The compose stack is a demonstration: it loads the demo data set (estimates) into the empty databases.
    DEMO_DATA: 'true',
  });

  const services: Record<string, unknown> = {
    postgres: {
      image: 'postgres:16',
      environment: { POSTGRES_USER: 'forum', POSTGRES_PASSWORD: 'forum', POSTGRES_DB: 'integration_forum_hub' },
      volumes: ['postgres-data:/var/lib/postgresql/data'],
      healthcheck: { test: ['CMD', 'pg_isready', '-U', 'forum'], interval: '2s', timeout: '2s', retries: 30 },
    },
    forum: {
      ...node(['node', 'dist/services/forum/main.js'], subgraphEnvironment(registry.forum.port)),
      // The forum issues tokens for administrators with the same key the gateway checks them with.
      volumes: ['keys:/app/.data/keys'],
    },
  };
  for (const member of registry.members) {
    services[`city-${member.id}`] = node(['node', 'dist/services/city/main.js', member.id], subgraphEnvironment(member.port));
  }
  services.gateway = {
    ...node(['node', 'dist/gateway/main.js'], {
      PORT: '4000',
      SUBGRAPH_TIMEOUT_MS: '3000',
      SUBGRAPH_URL_FORUM: `http://forum:${registry.forum.port}/graphql`,
      ...Object.fromEntries(
        registry.members.map((member) => [`SUBGRAPH_URL_${member.id.toUpperCase()}`, `http://city-${member.id}:${member.port}/graphql`]),
      ),
    }),
    depends_on: Object.fromEntries(
      ['forum', ...registry.members.map((member) => `city-${member.id}`)].map((name) => [name, { condition: 'service_started' }]),
    ),
    ports: ['4000:4000'],
    // The hub's own keys (tokens it issues, its credential towards the subgraphs) survive restarts.
    volumes: ['keys:/app/.data/keys'],
  };

  return stringify({ name: 'integration-forum-hub', services, volumes: { 'postgres-data': {}, keys: {} } }, { lineWidth: 0 });
}
