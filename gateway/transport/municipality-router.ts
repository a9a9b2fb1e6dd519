import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { GraphQLFormattedError } from 'graphql';
import type { MemberAddress, MemberDirectory } from '../../services/common/routing/member-directory';
import { routeByKey, type SubgraphReply, type SubgraphRequest } from '../../services/common/routing/route-by-key';

/** Makes the data source that calls one municipality's service at its address (subgraph-data-source.ts). */
export type MunicipalityDataSourceFactory = (member: MemberAddress) => GraphQLDataSource;

/**
 * The supergraph's one city subgraph, served by every member's own service: each `_entities` fetch is split by
 * municipality id and sent to each municipality's service at once, each write to the service its `id` names
 * (services/common/routing/route-by-key.ts). Each part goes through that municipality's own data source, so it is
 * signed for that municipality and that part alone, kept to its deadline, and counted by its own circuit breaker.
 * The directory is read at every request: a member added, moved or ended is routed accordingly at once.
 */
export class MunicipalityRouter implements GraphQLDataSource {
  private readonly dataSources = new Map<string, { url: string; dataSource: GraphQLDataSource }>();

  constructor(
    private readonly directory: MemberDirectory,
    private readonly dataSourceFor: MunicipalityDataSourceFactory,
  ) {
    // A member that left takes its data source (and circuit breaker) with it; a moved one gets a new one on next use.
    directory.onChange(() => {
      for (const id of this.dataSources.keys()) if (!directory.knows(id)) this.dataSources.delete(id);
    });
  }

  async process(options: GraphQLDataSourceProcessOptions): Promise<GatewayGraphQLResponse> {
    const { query, variables, operationName } = options.request;
    if (!query) throw new Error('Missing query');
    const reply = await routeByKey({ query, variables, operationName }, {
      knows: (id) => this.directory.knows(id),
      send: (id, part) => this.send(id, part, options),
    });
    return reply as GatewayGraphQLResponse;
  }

  private async send(id: string, part: SubgraphRequest, options: GraphQLDataSourceProcessOptions): Promise<SubgraphReply> {
    const dataSource = this.dataSourceOf(this.directory.address(id)!);
    // Each part is its own request: the data source sets its own address and credential on it.
    const request = { ...options.request, query: part.query, variables: part.variables, http: undefined };
    try {
      const response = await dataSource.process({ ...options, request } as GraphQLDataSourceProcessOptions);
      return { data: response.data ?? null, ...(response.errors ? { errors: response.errors as GraphQLFormattedError[] } : {}) };
    } catch (error) {
      // The municipality's data source says why it did not answer (CITY_UNAVAILABLE, naming the city).
      const { message, extensions } = error as { message: string; extensions?: Record<string, unknown> };
      return { data: null, errors: [{ message, extensions: { ...extensions, city: extensions?.city ?? id } }] };
    }
  }

  private dataSourceOf(member: MemberAddress): GraphQLDataSource {
    const known = this.dataSources.get(member.id);
    if (known?.url === member.url) return known.dataSource;
    const dataSource = this.dataSourceFor(member);
    this.dataSources.set(member.id, { url: member.url, dataSource });
    return dataSource;
  }
}
