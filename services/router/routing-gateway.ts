import type {
  GatewayExecutionResult,
  GatewayGraphQLRequestContext,
  GatewayInterface,
  GatewayLoadResult,
  GatewaySchemaLoadOrUpdateCallback,
} from '@apollo/server-gateway-interface';
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { routeByKey } from '../common/routing/route-by-key';
import type { MemberCalls, RouterContext } from './member-calls';

/**
 * The member router as Apollo Server's executor: Apollo Server parses the request, checks it against the city
 * subgraph's schema and does the HTTP; instead of resolvers, each request is routed by key to the members' services
 * (services/common/routing/route-by-key.ts) and their answers merged. `_service { sdl }` is answered here, with the
 * city subgraph's SDL, so that the router is the city subgraph to any Federation gateway.
 */
export class RoutingGateway implements GatewayInterface {
  private readonly listeners = new Set<GatewaySchemaLoadOrUpdateCallback>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly sdl: string,
    private readonly calls: MemberCalls,
  ) {}

  onSchemaLoadOrUpdate(callback: GatewaySchemaLoadOrUpdateCallback): () => void {
    this.listeners.add(callback);
    return () => this.listeners.delete(callback);
  }

  async load(): Promise<GatewayLoadResult> {
    for (const listener of this.listeners) listener({ apiSchema: this.schema, coreSupergraphSdl: this.sdl });
    return { executor: (requestContext) => this.execute(requestContext as GatewayGraphQLRequestContext<RouterContext>) };
  }

  async stop(): Promise<void> {}

  private async execute(requestContext: GatewayGraphQLRequestContext<RouterContext>): Promise<GatewayExecutionResult> {
    const { request, source, context } = requestContext;
    const reply = await routeByKey(
      { query: source, variables: request.variables, operationName: request.operationName ?? undefined },
      this.calls.targets(context),
      () => this.sdl,
    );
    return { data: reply.data, ...(reply.errors ? { errors: reply.errors.map(forwardedError) } : {}) };
  }
}

/** Errors the members gave (or that stand for a member's missing answer), passed on as they are. */
const forwarded = new WeakSet<GraphQLError>();

/** Apollo Server formats only GraphQLErrors; a member's error keeps its message, path and extensions. */
function forwardedError(error: GraphQLFormattedError): GraphQLError {
  const graphQLError = new GraphQLError(error.message, { path: error.path, extensions: error.extensions });
  forwarded.add(graphQLError);
  return graphQLError;
}

/** Whether an error is a member's, which the router must not mask as its own internal error. */
export function isForwardedError(error: unknown): boolean {
  return error instanceof GraphQLError && forwarded.has(error);
}
