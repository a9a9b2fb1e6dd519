import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadRegistry, type Registry } from '../../services/common/registry';
import { createTestDatabase, type TestDatabase } from './database';
import { ROOT, ServiceProcess, distScript } from './processes';
import { freePort, TestIdentityProvider } from './identity-provider';
import { signToken, writeKeyFile, type TokenOptions } from './tokens';

/** Lets the tests read each subgraph's /metrics. */
export const METRICS_TOKEN = 'test-metrics-token-0123456789';

export interface QueryOptions {
  /** A user token; without one the request is anonymous. */
  token?: string;
  /** Another gateway than the federation's own. */
  url?: string;
  headers?: Record<string, string>;
}

/** Keys of one test federation: the local issuer of user tokens and the gateway's own key. */
export interface FederationKeys {
  dir: string;
  issuer: string;
  gateway: string;
}

export interface FederationOptions {
  /** Member registry; default: the checked-in schema/members.json. */
  membersFile?: string;
  /** Supergraph; default: the checked-in schema/supergraph.graphql. */
  supergraphFile?: string;
  /**
   * Extra gateway settings (timeouts, addresses). Without them the gateway runs as it ships: response cache and rate
   * limits on. A suite that turns a default off or raises a limit says why on the line above.
   */
  gatewayEnv?: NodeJS.ProcessEnv;
  /** Extra settings for every subgraph. */
  subgraphEnv?: NodeJS.ProcessEnv;
  /**
   * Extra settings for single cities, over `subgraphEnv`, by city id. A function gets the test database's URL,
   * e.g. to send one city's connections through a proxy.
   */
  cityEnv?: Record<string, NodeJS.ProcessEnv | ((databaseUrl: string) => NodeJS.ProcessEnv)>;
  /** Runs single cities under another command, by city id, e.g. `['ip', 'netns', 'exec', 'ifh-1-0']`. */
  cityCommandPrefix?: Record<string, readonly string[]>;
  /**
   * Also start the embedded identity provider, and have the gateway trust it instead of the local key (as `npm start`
   * does): for the suites that sign in on its login page. `token()` tokens are then refused by the gateway.
   */
  identityProvider?: boolean;
}

export interface GraphQLResponse<Data = Record<string, any>> {
  status: number;
  body: { data?: Data | null; errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, any> }> };
}

/**
 * The whole federation as separate processes on free ports, on a fresh PostgreSQL database with the demo data:
 * forum subgraph, one subgraph per registry member, and the gateway in front, talking HTTP.
 */
export class TestFederation {
  private constructor(
    readonly registry: Registry,
    readonly database: TestDatabase,
    readonly subgraphs: Map<string, ServiceProcess>,
    public gateway: ServiceProcess,
    readonly keys: FederationKeys,
    private readonly options: FederationOptions,
    /** What every subgraph was started with (database, keys, registry). */
    private readonly subgraphBaseEnv: NodeJS.ProcessEnv,
    /** The embedded identity provider, with `identityProvider: true`. */
    readonly identityProvider: TestIdentityProvider | null = null,
  ) {}

  static async start(options: FederationOptions = {}): Promise<TestFederation> {
    const membersFile = options.membersFile ?? path.join(ROOT, 'schema', 'members.json');
    const registry = loadRegistry(membersFile);
    const database = await createTestDatabase();
    const keys = TestFederation.createKeys();
    const subgraphs = new Map<string, ServiceProcess>();
    const extra: ServiceProcess[] = [];
    try {
      // The cities ask this forum for their membership (services/city/membership.ts), so its port is known up front.
      const forumPort = await freePort();
      const env = {
        ...TestFederation.keyEnv(keys),
        DATABASE_URL: database.url,
        MEMBERS_FILE: membersFile,
        HOST: '127.0.0.1',
        PORT: '0',
        DEMO_DATA: 'true',
        LOG_LEVEL: 'info',
        FORUM_MEMBERSHIP_URL: `http://127.0.0.1:${forumPort}/membership`,
        ...options.subgraphEnv,
      };
      // Settled one by one, so that when one fails to start the others are known and stopped, not left running.
      const started = await Promise.allSettled([
        ServiceProcess.start('forum', distScript('services', 'forum', 'main.js'), [], { ...env, PORT: String(forumPort) }),
        ...registry.members.map((member) =>
          TestFederation.startCity(member.id, TestFederation.cityEnvironment(member.id, env, database.url, options), options),
        ),
      ]);
      for (const result of started) if (result.status === 'fulfilled') subgraphs.set(result.value.name, result.value);
      const failure = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
      if (failure) throw failure.reason;
      if (!options.identityProvider) {
        const gateway = await TestFederation.startGateway(membersFile, subgraphs, keys, options);
        return new TestFederation(registry, database, subgraphs, gateway, keys, options, env);
      }
      // Each must know the other's address: the gateway the issuer, the provider the dashboard's redirect URIs.
      const [providerPort, gatewayPort] = [await freePort(), await freePort()];
      const trust = TestIdentityProvider.trust(`http://127.0.0.1:${providerPort}`);
      const withProvider = { ...options, gatewayEnv: { ...trust, PORT: String(gatewayPort), ...options.gatewayEnv } };
      const gateway = await TestFederation.startGateway(membersFile, subgraphs, keys, withProvider);
      extra.push(gateway);
      const provider = await TestIdentityProvider.start(providerPort, new URL(gateway.url).origin, membersFile);
      return new TestFederation(registry, database, subgraphs, gateway, keys, withProvider, env, provider);
    } catch (error) {
      await Promise.all([...subgraphs.values(), ...extra].map((service) => service.stop('SIGKILL')));
      await database.drop();
      rmSync(keys.dir, { recursive: true, force: true });
      throw error;
    }
  }

  private static cityEnvironment(cityId: string, base: NodeJS.ProcessEnv, databaseUrl: string, options: FederationOptions): NodeJS.ProcessEnv {
    const own = options.cityEnv?.[cityId];
    return { ...base, ...(typeof own === 'function' ? own(databaseUrl) : own) };
  }

  private static startCity(cityId: string, env: NodeJS.ProcessEnv, options: FederationOptions): Promise<ServiceProcess> {
    return ServiceProcess.start(cityId, distScript('services', 'city', 'main.js'), [cityId], env, undefined, options.cityCommandPrefix?.[cityId]);
  }

  private static createKeys(): FederationKeys {
    const dir = mkdtempSync(path.join(tmpdir(), 'ifh-keys-'));
    return { dir, issuer: writeKeyFile(path.join(dir, 'issuer.jwk.json')), gateway: writeKeyFile(path.join(dir, 'gateway.jwk.json')) };
  }

  private static keyEnv(keys: FederationKeys): NodeJS.ProcessEnv {
    return { AUTH_LOCAL_KEY_FILE: keys.issuer, GATEWAY_KEY_FILE: keys.gateway, METRICS_TOKEN };
  }

  private static startGateway(membersFile: string, subgraphs: Map<string, ServiceProcess>, keys: FederationKeys, options: FederationOptions) {
    const addresses = Object.fromEntries([...subgraphs].map(([name, service]) => [`SUBGRAPH_URL_${name.toUpperCase()}`, service.url]));
    return ServiceProcess.start('gateway', distScript('gateway', 'main.js'), [], {
      ...TestFederation.keyEnv(keys),
      MEMBERS_FILE: membersFile,
      SUPERGRAPH_FILE: options.supergraphFile ?? path.join(ROOT, 'schema', 'supergraph.graphql'),
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      ...addresses,
      ...options.gatewayEnv,
    });
  }

  get gatewayUrl(): string {
    return this.gateway.url;
  }

  /** Another process of a city's subgraph on the same database, with other settings. */
  async startExtraCity(cityId: string, env: NodeJS.ProcessEnv): Promise<ServiceProcess> {
    return ServiceProcess.start(`${cityId}-extra`, distScript('services', 'city', 'main.js'), [cityId], {
      ...TestFederation.keyEnv(this.keys),
      DATABASE_URL: this.database.url,
      MEMBERS_FILE: this.options.membersFile ?? path.join(ROOT, 'schema', 'members.json'),
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      ...this.options.subgraphEnv,
      ...env,
    });
  }

  /** Another process of the forum subgraph on the same database, with other settings. */
  async startExtraForum(env: NodeJS.ProcessEnv): Promise<ServiceProcess> {
    return ServiceProcess.start('forum-extra', distScript('services', 'forum', 'main.js'), [], { ...this.subgraphBaseEnv, ...env });
  }

  /**
   * Starts a city's subgraph again after it stopped (or was killed), with its settings and on its address, where
   * the gateway looks for it. The new process replaces the old one in `subgraphs`.
   */
  async restartCity(cityId: string): Promise<ServiceProcess> {
    const previous = this.subgraphs.get(cityId);
    if (!previous) throw new Error(`no city ${cityId}`);
    if (previous.running) throw new Error(`${cityId} is still running; stop it first`);
    const env = { ...TestFederation.cityEnvironment(cityId, this.subgraphBaseEnv, this.database.url, this.options), PORT: new URL(previous.url).port };
    const service = await TestFederation.startCity(cityId, env, this.options);
    this.subgraphs.set(cityId, service);
    return service;
  }

  /** A second gateway over the same subgraphs, with other settings (e.g. a city pointed at a dead address). */
  async startExtraGateway(gatewayEnv: NodeJS.ProcessEnv): Promise<ServiceProcess> {
    return TestFederation.startGateway(this.options.membersFile ?? path.join(ROOT, 'schema', 'members.json'), this.subgraphs, this.keys, {
      ...this.options,
      // A port of its own (with an identity provider, the first gateway's port is in gatewayEnv).
      gatewayEnv: { ...this.options.gatewayEnv, PORT: '0', ...gatewayEnv },
    });
  }

  /** A token from the hub's local issuer, as `npm run token` makes them. */
  token(claims: { sub?: string; roles: string[]; city?: string; name?: string }, options?: TokenOptions): string {
    return signToken(this.keys.issuer, { sub: claims.sub ?? `${claims.roles.join('-')}-${claims.city ?? 'forum'}`, ...claims }, options);
  }

  async query<Data = Record<string, any>>(
    document: string,
    variables: Record<string, unknown> = {},
    options: QueryOptions = {},
  ): Promise<GraphQLResponse<Data>> {
    const response = await fetch(options.url ?? this.gatewayUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      },
      body: JSON.stringify({ query: document, variables }),
    });
    return { status: response.status, body: (await response.json()) as GraphQLResponse<Data>['body'] };
  }

  /** SQL statements a subgraph has sent so far, from its Prometheus `/metrics`. */
  async sqlStatements(subgraph: string): Promise<number> {
    const service = this.subgraphs.get(subgraph);
    if (!service) throw new Error(`no subgraph ${subgraph}`);
    const text = await (await fetch(new URL('/metrics', service.url), { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    const line = text.split('\n').find((candidate) => candidate.startsWith('sql_statements_total'));
    if (!line) throw new Error(`${subgraph} reports no sql_statements_total`);
    return Number(line.split(' ').at(-1));
  }

  async stop(): Promise<void> {
    await this.gateway.stop();
    await this.identityProvider?.stop();
    await Promise.all([...this.subgraphs.values()].map((service) => service.stop()));
    await this.database.drop();
    rmSync(this.keys.dir, { recursive: true, force: true });
  }
}

/** The query contract's operations, as copied unchanged from the handbook into tests/contract/. */
export function contractOperation(name: 'forum-progress' | 'city-comparison' | 'city-trend' | 'staff-uncertainty'): string {
  return readFileSync(path.join(ROOT, 'tests', 'contract', `${name}.graphql`), 'utf8');
}
