import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { commonApolloOptions } from '../services/common/apollo-options';
import { runMain, startHttpService, stopOnSignals } from '../services/common/http-service';
import { createLogger } from '../services/common/logger';
import { ServiceMetrics } from '../services/common/metrics';
import { loadRegistry } from '../services/common/registry';
import { readGatewayConfig, readSubgraphSettings } from './config';
import { useCityAvailabilityErrors } from './plugins/use-city-availability-errors';
import { supergraphSubgraphs } from './supergraph';
import { identifySubgraph } from './subgraph-availability';
import { SubgraphDataSource } from './subgraph-data-source';

/** The forum's one GraphQL endpoint: `npm run gateway`. */
async function main(): Promise<void> {
  const registry = loadRegistry();
  const config = readGatewayConfig();
  const supergraphSdl = readFileSync(config.supergraphFile, 'utf8');
  const subgraphSettings = readSubgraphSettings(
    supergraphSubgraphs(supergraphSdl).map((subgraph) => subgraph.name),
    config.subgraphTimeoutMs,
  );
  const logger = createLogger('gateway', config.logLevel);
  const metrics = new ServiceMetrics('gateway');

  const gateway = new ApolloGateway({
    supergraphSdl,
    logger,
    buildService: ({ name, url }) => {
      const settings = subgraphSettings(name);
      return new SubgraphDataSource(identifySubgraph(registry, name), settings.url ?? url!, settings.timeoutMs, logger);
    },
  });

  const server = await startHttpService({
    service: 'gateway',
    host: config.host,
    port: config.port,
    logger,
    metrics,
    createApollo: (drain) =>
      new ApolloServer({
        gateway,
        plugins: [drain, useCityAvailabilityErrors(registry), ApolloServerPluginLandingPageDisabled()],
        ...commonApolloOptions('gateway', logger),
      }),
    context: async () => ({}),
    health: async () => ({ status: 'ok' }),
  });
  stopOnSignals(server.stop, logger);
}

runMain('gateway', main);
