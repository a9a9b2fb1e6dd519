import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadRegistry, type Registry } from '../../services/common/registry';
import { createTestDatabase, type TestDatabase } from './database';
import { ROOT, ServiceProcess, distScript } from './processes';

export interface FederationOptions {
  /** Member registry; default: the checked-in schema/members.json. */
  membersFile?: string;
  /** Supergraph; default: the checked-in schema/supergraph.graphql. */
  supergraphFile?: string;
  /** Extra gateway settings (timeouts, addresses). */
  gatewayEnv?: NodeJS.ProcessEnv;
  /** Extra settings for every subgraph. */
  subgraphEnv?: NodeJS.ProcessEnv;
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
    private readonly options: FederationOptions,
  ) {}

  static async start(options: FederationOptions = {}): Promise<TestFederation> {
    const membersFile = options.membersFile ?? path.join(ROOT, 'schema', 'members.json');
    const registry = loadRegistry(membersFile);
    const database = await createTestDatabase();
    const subgraphs = new Map<string, ServiceProcess>();
    try {
      const env = {
        DATABASE_URL: database.url,
        MEMBERS_FILE: membersFile,
        HOST: '127.0.0.1',
        PORT: '0',
        DEMO_DATA: 'true',
        LOG_LEVEL: 'info',
        ...options.subgraphEnv,
      };
      const started = await Promise.all([
        ServiceProcess.start('forum', distScript('services', 'forum', 'main.js'), [], env),
        ...registry.members.map((member) => ServiceProcess.start(member.id, distScript('services', 'city', 'main.js'), [member.id], env)),
      ]);
      for (const service of started) subgraphs.set(service.name, service);
      const gateway = await TestFederation.startGateway(membersFile, subgraphs, options);
      return new TestFederation(registry, database, subgraphs, gateway, options);
    } catch (error) {
      await Promise.all([...subgraphs.values()].map((service) => service.stop('SIGKILL')));
      await database.drop();
      throw error;
    }
  }

  private static startGateway(membersFile: string, subgraphs: Map<string, ServiceProcess>, options: FederationOptions) {
    const addresses = Object.fromEntries([...subgraphs].map(([name, service]) => [`SUBGRAPH_URL_${name.toUpperCase()}`, service.url]));
    return ServiceProcess.start('gateway', distScript('gateway', 'main.js'), [], {
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

  /** A second gateway over the same subgraphs, with other settings (e.g. a city pointed at a dead address). */
  async startExtraGateway(gatewayEnv: NodeJS.ProcessEnv): Promise<ServiceProcess> {
    return TestFederation.startGateway(this.options.membersFile ?? path.join(ROOT, 'schema', 'members.json'), this.subgraphs, {
      ...this.options,
      gatewayEnv: { ...this.options.gatewayEnv, ...gatewayEnv },
    });
  }

  async query<Data = Record<string, any>>(
    document: string,
    variables: Record<string, unknown> = {},
    url = this.gatewayUrl,
  ): Promise<GraphQLResponse<Data>> {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: document, variables }),
    });
    return { status: response.status, body: (await response.json()) as GraphQLResponse<Data>['body'] };
  }

  /** SQL statements a subgraph has sent so far, from its Prometheus `/metrics`. */
  async sqlStatements(subgraph: string): Promise<number> {
    const service = this.subgraphs.get(subgraph);
    if (!service) throw new Error(`no subgraph ${subgraph}`);
    const text = await (await fetch(new URL('/metrics', service.url))).text();
    const line = text.split('\n').find((candidate) => candidate.startsWith('sql_statements_total'));
    if (!line) throw new Error(`${subgraph} reports no sql_statements_total`);
    return Number(line.split(' ').at(-1));
  }

  async stop(): Promise<void> {
    await this.gateway.stop();
    await Promise.all([...this.subgraphs.values()].map((service) => service.stop()));
    await this.database.drop();
  }
}

/** The query contract's operations, as copied unchanged from the handbook into tests/contract/. */
export function contractOperation(name: 'forum-progress' | 'city-comparison' | 'city-trend'): string {
  return readFileSync(path.join(ROOT, 'tests', 'contract', `${name}.graphql`), 'utf8');
}
