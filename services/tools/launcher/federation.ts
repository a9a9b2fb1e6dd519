import { connect } from 'node:net';
import path from 'node:path';
import { envSuffix, type Registry } from '../../common/registry';
import { embeddedDatabaseUrl, type EmbeddedPostgresConfig } from '../embedded-postgres/config';
import type { ProcessSpec, Supervisor } from './supervisor';

export interface FederationSettings {
  /** The members to start, with the ports they listen on; the children read the same file (`MEMBERS_FILE`). */
  registry: Registry;
  gatewayPort: number;
  /** A PostgreSQL server for every subgraph; absent: embedded PostgreSQL, started first. */
  databaseUrl?: string;
  /** Where embedded PostgreSQL listens (and keeps its data); used when `databaseUrl` is absent. */
  embedded: EmbeddedPostgresConfig;
  /** Load the demo data set into empty databases. */
  demoData: boolean;
  /** What every process starts from (log level, keys, `MEMBERS_FILE`...). */
  env: NodeJS.ProcessEnv;
  /** Options for Node in every process of the federation, e.g. a benchmark's `--cpu-prof`. */
  nodeOptions?: string[];
  /**
   * How many cities share one Node process (1: a process each, as deployed). `npm start` on embedded PostgreSQL
   * shares them: each process loads the same code, which was most of a start's CPU time. A benchmark that stops one
   * city's process (`npm run load`) keeps 1.
   */
  citiesPerProcess: number;
  /**
   * Start the embedded identity provider first and have the gateway and the subgraphs trust it (its issuer and
   * JWKS, roles in `realm_access.roles`); absent: they trust what `env` says (the benchmarks: the hub's own key).
   */
  identityProvider?: { port: number; issuer: string };
}

/** What the gateway and the subgraphs need to trust the embedded identity provider, as they would trust Keycloak. */
export function identityProviderTrust(issuer: string): NodeJS.ProcessEnv {
  return { AUTH_ISSUER: issuer, AUTH_JWKS_URL: `${issuer}/jwks`, AUTH_ROLES_CLAIM: 'realm_access.roles', AUTH_CITY_CLAIM: 'city' };
}

/** The supervisor's name of a city's process, for `Supervisor.stop` and `resume`. */
export const cityProcessName = (cityId: string) => `city-${cityId}`;

export const healthUrl = (port: number) => `http://127.0.0.1:${port}/health`;

/**
 * On embedded storage everything shares one machine, and a young generation of 1 MB instead of Node's 16 MB saves
 * some 25 MB per subgraph, which keeps the whole federation under 1.5 GB. It costs CPU: under load a subgraph then
 * spends about a third of its time collecting garbage (npm run bench), so with a PostgreSQL server, where the
 * subgraphs serve for real, they keep Node's default. The gateway, which builds and merges whole answers, always does.
 */
const SMALL_YOUNG_GENERATION = ['--max-semi-space-size=1'];

/**
 * Starts the whole federation under a supervisor, in order: embedded PostgreSQL and the identity provider (where
 * they are the hub's own) side by side, then the forum and every city, the gateway last; each step waits until its
 * processes are healthy. Used by `npm start` and by the load benchmark.
 */
export async function startFederation(supervisor: Supervisor, settings: FederationSettings): Promise<void> {
  // The compiled tree: dist/services/tools/launcher/federation.js -> dist/
  const compiled = path.join(__dirname, '..', '..', '..');
  const script = (...service: string[]) => path.join(compiled, ...service, 'main.js');
  const { registry } = settings;
  const databaseUrl = settings.databaseUrl ?? embeddedDatabaseUrl(settings.embedded);
  const trust = settings.identityProvider ? identityProviderTrust(settings.identityProvider.issuer) : {};
  const childEnv = { ...settings.env, ...trust, DATABASE_URL: databaseUrl, DEMO_DATA: String(settings.demoData) };
  const subgraphNodeOptions = [...(settings.databaseUrl === undefined ? SMALL_YOUNG_GENERATION : []), ...(settings.nodeOptions ?? [])];

  // The identity provider needs no database: it starts beside embedded PostgreSQL, not after it.
  await Promise.all([
    settings.databaseUrl === undefined ? startEmbeddedPostgres(supervisor, settings, script('services', 'tools', 'embedded-postgres')) : undefined,
    settings.identityProvider ? startIdentityProvider(supervisor, settings, settings.identityProvider, script('services', 'tools', 'identity-provider')) : undefined,
  ]);
  const subgraphs: ProcessSpec[] = [
    {
      name: 'forum',
      script: script('services', 'forum'),
      nodeOptions: subgraphNodeOptions,
      env: { ...childEnv, PORT: String(registry.forum.port) },
      healthUrls: [healthUrl(registry.forum.port)],
      restart: true,
    },
    ...cityProcesses(registry.members, settings.citiesPerProcess).map((members, index, all) => ({
      name: members.length === 1 ? cityProcessName(members[0]!.id) : `cities-${index + 1}-of-${all.length}`,
      script: script('services', 'city'),
      args: members.map((member) => member.id),
      nodeOptions: subgraphNodeOptions,
      // Sharing a process, each city listens on its registry port: PORT and HEALTH_PORT name one city's.
      env: members.length === 1 ? { ...childEnv, PORT: String(members[0]!.port) } : withoutOneCitySettings(childEnv),
      healthUrls: members.map((member) => healthUrl(member.port)),
      restart: true,
    })),
  ];
  await Promise.all(subgraphs.map((spec) => supervisor.start(spec)));
  await supervisor.start({
    name: 'gateway',
    script: script('gateway'),
    nodeOptions: settings.nodeOptions,
    // The members by the registry's ports on this machine, not one SUBGRAPH_URL_<ID> each: those would pin every
    // member's address, and a member added or moved in the registry while the hub runs would not be followed.
    env: { ...settings.env, ...trust, SUBGRAPH_URL_FORUM: forumAddress(registry), MEMBER_SERVICES_HOST: '127.0.0.1', PORT: String(settings.gatewayPort) },
    healthUrls: [healthUrl(settings.gatewayPort)],
    restart: true,
  });
}

/** The cities in groups of `perProcess`, in the registry's order. */
export function cityProcesses<T>(members: readonly T[], perProcess: number): T[][] {
  if (!Number.isInteger(perProcess) || perProcess < 1) throw new Error(`cities per process: a whole number of at least 1, not ${perProcess}`);
  const groups: T[][] = [];
  for (let first = 0; first < members.length; first += perProcess) groups.push(members.slice(first, first + perProcess));
  return groups;
}

function withoutOneCitySettings(environment: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { PORT: _port, HEALTH_PORT: _healthPort, ...rest } = environment;
  return rest;
}

async function startEmbeddedPostgres(supervisor: Supervisor, settings: FederationSettings, script: string): Promise<void> {
  await supervisor.start({
    name: 'embedded-postgres',
    script,
    nodeOptions: [...SMALL_YOUNG_GENERATION, ...(settings.nodeOptions ?? [])],
    env: settings.env,
    restart: false,
  });
  await waitForPort(settings.embedded.host, settings.embedded.port, 60_000);
}

async function startIdentityProvider(supervisor: Supervisor, settings: FederationSettings, { port, issuer }: { port: number; issuer: string }, script: string): Promise<void> {
  await supervisor.start({
    name: 'identity-provider',
    script,
    nodeOptions: settings.nodeOptions,
    env: { ...settings.env, IDP_PORT: String(port), IDP_ISSUER: issuer, IDP_DASHBOARD_ORIGINS: `http://localhost:${settings.gatewayPort},http://127.0.0.1:${settings.gatewayPort}` },
    healthUrls: [healthUrl(port)],
    restart: true,
  });
}

function forumAddress(registry: Registry): string {
  return `http://127.0.0.1:${registry.forum.port}/graphql`;
}

/** `SUBGRAPH_URL_<NAME>` for every subgraph on this machine: the gateway calls them where they were started here, whatever the supergraph's defaults say. */
export function subgraphAddresses(registry: Registry): Record<string, string> {
  return Object.fromEntries([
    ['SUBGRAPH_URL_FORUM', forumAddress(registry)],
    ...registry.members.map((member) => [`SUBGRAPH_URL_${envSuffix(member.id)}`, `http://127.0.0.1:${member.port}/graphql`]),
  ]);
}

async function waitForPort(host: string, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ host, port }, () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`embedded PostgreSQL did not listen on ${host}:${port} within ${timeoutMs / 1000} s`);
}
