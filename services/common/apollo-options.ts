import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import { formatErrorFor } from './errors';
import type { Logger } from './logger';
import { useExpandedValidationErrors } from './plugins/use-expanded-validation-errors';
import { useWriteCommittedHeader } from './write-receipt';

/** What every Apollo Server of the hub shares: no stack traces to clients, our error format, our shutdown. */
export function commonApolloOptions(service: string, logger: Logger) {
  return {
    includeStacktraceInErrorResponses: false,
    // Apollo's default, stated because it must never be lost: a browser cannot send a "simple" cross-site request
    // (a form post, a plain GET) that runs an operation with the visitor's credentials.
    csrfPrevention: true,
    // Apollo turns introspection off under NODE_ENV=production; who may read the schema is decided per viewer instead.
    introspection: true,
    // Shutdown is ours (stopOnSignals): Apollo's own handler would re-raise the signal before the pools close.
    stopOnTerminationSignals: false,
    formatError: formatErrorFor(service, logger),
    logger,
  };
}

/**
 * A subgraph's Apollo Server; the gateway is its only client, so it has no landing page and sends no traces. It tells
 * the gateway when a request committed a write (services/common/write-receipt.ts). No cache hints either: the gateway
 * decides what it caches itself (gateway/plugins/use-response-cache.ts), and Apollo's cache-control plugin, on by
 * default, would wrap every field's resolver to work hints out that nobody reads.
 */
export function subgraphApollo<Context extends BaseContext>(schema: GraphQLSchema, service: string, logger: Logger) {
  return (drain: ApolloServerPlugin<Context>) =>
    new ApolloServer<Context>({
      schema,
      plugins: [
        drain,
        useExpandedValidationErrors(),
        useWriteCommittedHeader<Context>(),
        ApolloServerPluginLandingPageDisabled(),
        ApolloServerPluginInlineTraceDisabled(),
        ApolloServerPluginCacheControlDisabled(),
      ],
      // The gateway sends every operation as text. A persisted query's hash would name a document the credential check
      // (gatewayAuthentication) cannot see, and so could run a write under a read credential.
      persistedQueries: false,
      ...commonApolloOptions(service, logger),
    });
}
