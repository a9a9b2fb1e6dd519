import { readFileSync } from 'node:fs';
import compression from 'compression';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { commonApolloOptions } from '../services/common/apollo-options';
import { runMain, startHttpService, stopOnSignals } from '../services/common/http-service';
import { createLogger } from '../services/common/logger';
import { ServiceMetrics } from '../services/common/metrics';
import { loadRegistry } from '../services/common/registry';
import { readAuthConfig } from '../services/common/auth/auth-config';
import { GatewayCredentialSigner } from '../services/common/auth/gateway-credential';
import { loadOrCreateSigningKey } from '../services/common/auth/keys';
import { userAuthentication } from '../services/common/auth/request-authentication';
import { UserTokenVerifier } from '../services/common/auth/user-tokens';
import { readGatewayConfig, readSubgraphSettings } from './config';
import { serveDashboard } from './dashboard-routes';
import type { GatewayContext } from './context';
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
  const auth = readAuthConfig();
  const logger = createLogger('gateway', config.logLevel);
  const metrics = new ServiceMetrics('gateway');

  // On the embedded default the hub signs its own user tokens (`npm run token`); the key is made on first use.
  if (auth.localIssuer && 'file' in auth.users.keys) await loadOrCreateSigningKey(auth.users.keys.file);
  const users = new UserTokenVerifier(auth.users, new Set(registry.members.map((member) => member.id)));
  const gatewayKey = await loadOrCreateSigningKey(auth.gatewayKeyFile);
  const credentials = new GatewayCredentialSigner(gatewayKey);

  const gateway = new ApolloGateway({
    supergraphSdl,
    logger,
    buildService: ({ name, url }) => {
      const settings = subgraphSettings(name);
      return new SubgraphDataSource(identifySubgraph(registry, name), settings.url ?? url!, settings.timeoutMs, credentials, logger);
    },
  });

  const server = await startHttpService<GatewayContext>({
    service: 'gateway',
    host: config.host,
    port: config.port,
    logger,
    metrics,
    createApollo: (drain) =>
      new ApolloServer<GatewayContext>({
        gateway,
        plugins: [drain, useCityAvailabilityErrors(registry), ApolloServerPluginLandingPageDisabled()],
        ...commonApolloOptions('gateway', logger),
      }),
    metricsToken: config.metricsToken,
    authenticate: userAuthentication(users),
    context: async ({ viewer }) => ({ viewer }),
    health: async () => ({ status: 'ok' }),
    routes: (app) => {
      app.use(compression());
      serveDashboard(app, config.dashboardDir, logger);
      // Subgraphs configured with GATEWAY_JWKS_URL fetch the key that signs the gateway's credentials here.
      app.get('/.well-known/jwks.json', (_request, response) => {
        response.json({ keys: [{ ...gatewayKey.publicJwk, use: 'sig', alg: 'ES256' }] });
      });
    },
  });
  stopOnSignals(server.stop, logger);
}

runMain('gateway', main);
