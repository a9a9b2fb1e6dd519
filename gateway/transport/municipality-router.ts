import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { GraphQLFormattedError } from 'graphql';
import type { MemberDirectory } from '../../services/common/routing/member-directory';
import { CITY_UNAVAILABLE } from '../../services/common/subgraph-errors';
import { routeByKey, type SubgraphReply, type SubgraphRequest } from '../../services/common/routing/route-by-key';

/**
 * Makes the data source that calls one endpoint: a municipality's own service (`members` is that one member), or a
 * regional hub in front of several (`members` are all the directory reaches there).
 */
export type EndpointDataSourceFactory = (endpoint: { url: string; members: readonly string[] }) => GraphQLDataSource;

/**
 * The members a call is for, set on the request it hands to the endpoint's data source: the credential that call
 * carries is addressed to exactly them (subgraph-data-source.ts).
 */
export const CALL_AUDIENCE = Symbol('the members a call to the city subgraph is for');

/** A request to an endpoint, with the members it is for. */
export type AddressedRequest = GraphQLDataSourceProcessOptions['request'] & { [CALL_AUDIENCE]?: readonly string[] };

/**
 * The supergraph's one city subgraph, served by every member's own service: each `_entities` fetch is split by where
 * each municipality is reached and sent to every endpoint at once, each write to the service its `id` names
 * (services/common/routing/route-by-key.ts). Members behind one regional hub share one call to it. Each part goes
 * through its endpoint's own data source, so it is signed for the members of that part alone, kept to its deadline,
 * and counted by that endpoint's own circuit breaker. The directory is read at every request: a member added, moved or
 * ended is routed accordingly at once.
 */
export class MunicipalityRouter implements GraphQLDataSource {
  private readonly dataSources = new Map<string, { members: string; dataSource: GraphQLDataSource }>();

  constructor(
    private readonly directory: MemberDirectory,
    private readonly dataSourceFor: EndpointDataSourceFactory,
  ) {
    // An endpoint no member uses any longer takes its data source (and circuit breaker) with it; one whose members
    // changed gets a new one on next use.
    directory.onChange(() => {
      for (const url of this.dataSources.keys()) if (directory.membersAt(url).length === 0) this.dataSources.delete(url);
    });
  }

  async process(options: GraphQLDataSourceProcessOptions): Promise<GatewayGraphQLResponse> {
    const { query, variables, operationName } = options.request;
    if (!query) throw new Error('Missing query');
    const reply = await routeByKey({ query, variables, operationName }, {
      knows: (id) => this.directory.knows(id),
      endpointOf: (id) => this.directory.address(id)!.url,
      send: (members, part) => this.send(members, part, options),
    });
    return reply as GatewayGraphQLResponse;
  }

  private async send(members: readonly string[], part: SubgraphRequest, options: GraphQLDataSourceProcessOptions): Promise<SubgraphReply> {
    const dataSource = this.dataSourceAt(this.directory.address(members[0]!)!.url);
    // Each part is its own request: the data source sets its own address and credential on it.
    const request: AddressedRequest = { ...options.request, query: part.query, variables: part.variables, http: undefined, [CALL_AUDIENCE]: members };
    try {
      const response = await dataSource.process({ ...options, request } as GraphQLDataSourceProcessOptions);
      return { data: response.data ?? null, ...(response.errors ? { errors: response.errors as GraphQLFormattedError[] } : {}) };
    } catch (error) {
      // The endpoint's data source says why it did not answer (CITY_UNAVAILABLE naming the city). A hub in front of
      // several answers for none of them: each is named on its own (the gateway words each one's message,
      // gateway/plugins/use-city-availability-errors.ts), so that a hub that is down reports each of its cities.
      const { message, extensions } = error as { message: string; extensions?: Record<string, unknown> };
      if (members.length === 1) return { data: null, errors: [{ message, extensions: { ...extensions, city: extensions?.city ?? members[0] } }] };
      return { data: null, errors: members.map((city) => ({ message, extensions: { ...extensions, code: CITY_UNAVAILABLE, city } })) };
    }
  }

  private dataSourceAt(url: string): GraphQLDataSource {
    const members = this.directory.membersAt(url);
    const key = members.join(',');
    const known = this.dataSources.get(url);
    if (known?.members === key) return known.dataSource;
    const dataSource = this.dataSourceFor({ url, members });
    this.dataSources.set(url, { members: key, dataSource });
    return dataSource;
  }
}
