import { printSubgraphSdl } from '../common/subgraph-schema';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { commonApolloOptions } from '../common/apollo-options';
import { GatewayCredentialSigner } from '../common/auth/gateway-credential';
import { HUB_ALGORITHM, loadOrCreateSigningKey } from '../common/auth/keys';
import { gatewayAuthentication } from '../common/auth/request-authentication';
import { openUsedCredentials } from '../common/auth/used-credentials';
import { startHttpService } from '../common/http-service';
import { subgraphLimits } from '../common/limits';
import { createLogger } from '../common/logger';
import { ServiceMetrics } from '../common/metrics';
import { useExpandedValidationErrors } from '../common/plugins/use-expanded-validation-errors';
import { runMain, stopOnSignals } from '../common/process-lifecycle';
import { CITY_SUBGRAPH } from '../common/routing/city-subgraph';
import { subgraphConnections } from '../common/routing/connection-pool';
import { MemberDirectory } from '../common/routing/member-directory';
import { useWriteCommittedHeader, WriteReceipt } from '../common/write-receipt';
import { citySubgraphSchema } from '../city/schema';
import { readRouterConfig } from './config';
import { MemberCalls, type RouterContext } from './member-calls';
import { isForwardedError, RoutingGateway } from './routing-gateway';

/**
 * The standalone member router: the city subgraph at one address, for any Federation v2 gateway (Hive Gateway,
 * Apollo Router, another hub of ours). `npm run router`. It takes the credential of the hub in front of it as a city
 * does, and calls each member's service with a credential of its own (docs/routing.md).
 */
async function main(): Promise<void> {
  const config = readRouterConfig();
  const service = 'router';
  const logger = createLogger(service, config.logLevel);
  const metrics = new ServiceMetrics(service);

  const directory = new MemberDirectory(config.membersFile, process.env, (error) =>
    logger.error({ err: error }, 'the member registry changed but does not parse; the members as before stay in force'),
  ).watch();
  directory.onChange((registry) => logger.info({ members: registry.members.length }, 'member directory read again'));
  const signingKey = await loadOrCreateSigningKey(config.signingKeyFile);
  const calls = new MemberCalls(directory, new GatewayCredentialSigner(signingKey), config.timeoutMs, subgraphConnections(config.memberTls), logger);
  const schema = citySubgraphSchema();
  const routing = new RoutingGateway(schema, printSubgraphSdl(schema), calls);

  const usedCredentials = await openUsedCredentials(config.usedCredentials, service, logger);
  // The city subgraph's audience covers every member; a member's own (what our gateway signs) covers that member, and a
  // credential addressed to several members (a hub above that asks this router for all of them in one call) covers those.
  const caller = await gatewayAuthentication((audience) => audience === CITY_SUBGRAPH || directory.knows(audience), config.callerKeys, usedCredentials);
  const common = commonApolloOptions(service, logger);
  const health = async () => ({ status: 'ok' as const, members: directory.all().length });

  const server = await startHttpService<RouterContext>({
    service,
    host: config.host,
    port: config.port,
    logger,
    metrics,
    createApollo: (drain) =>
      new ApolloServer<RouterContext>({
        gateway: routing,
        plugins: [drain, useExpandedValidationErrors(), useWriteCommittedHeader<RouterContext>(), ApolloServerPluginLandingPageDisabled(), ApolloServerPluginInlineTraceDisabled()],
        // As at the subgraphs: a persisted query's hash names no text that the credential check could see.
        persistedQueries: false,
        ...common,
        formatError: (formatted, error) => (isForwardedError(error) ? formatted : common.formatError(formatted, error)),
      }),
    metricsToken: config.metricsToken,
    limits: subgraphLimits(),
    authenticate: caller.authenticate,
    authorizeOperation: caller.authorizeOperation,
    tls: config.server.tls,
    healthPort: config.server.healthPort,
    context: async ({ req, viewer }) => ({ viewer, audiences: caller.audiencesOf(req)!, writes: new WriteReceipt() }),
    health,
    routes: (app) => {
      // The members' services in front of which this router stands fetch the key of its credentials here (GATEWAY_JWKS_URL).
      app.get('/.well-known/jwks.json', (_request, response) => {
        response.json({ keys: [{ ...signingKey.publicJwk, use: 'sig', alg: HUB_ALGORITHM }] });
      });
    },
    onStop: async () => {
      directory.close();
      await usedCredentials.close();
    },
  });
  stopOnSignals(server.stop, logger);
}

runMain('router', main);
