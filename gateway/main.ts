import { readFileSync } from 'node:fs';
import { constants as zlibConstants } from 'node:zlib';
import compression from 'compression';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { commonApolloOptions } from '../services/common/apollo-options';
import { startHttpService } from '../services/common/http-service';
import { runMain, stopOnSignals } from '../services/common/process-lifecycle';
import { createLogger } from '../services/common/logger';
import { ServiceMetrics } from '../services/common/metrics';
import { MEMBERSHIP_SETTLE_MS, MemberDirectory } from '../services/common/routing/member-directory';
import { registryPath } from '../services/common/registry';
import { readAuthConfig } from '../services/common/auth/auth-config';
import { readLimits } from '../services/common/limits';
import { GatewayCredentialSigner } from '../services/common/auth/gateway-credential';
import { loadOrCreateSigningKey } from '../services/common/auth/keys';
import { userAuthentication } from '../services/common/auth/request-authentication';
import { UserTokenVerifier } from '../services/common/auth/user-tokens';
import { readGatewayConfig, readSubgraphSettings } from './config';
import { serveDashboard } from './dashboard-routes';
import type { GatewayContext } from './context';
import { corsAllowList, rateLimitPerUserAndAddress } from './http-protection';
import { useCityAvailabilityErrors } from './plugins/use-city-availability-errors';
import { useHiddenSuggestions } from './plugins/use-hidden-suggestions';
import { useIntrospectionPolicy } from './plugins/use-introspection-policy';
import { useLocalizedMessages } from './plugins/use-localized-messages';
import { queryLimitOptions, withLimitCode } from './query-limits';
import { Readiness } from './readiness';
import { useResponseCache } from './plugins/use-response-cache';
import { useSharedAnswers } from './plugins/use-shared-answers';
import { GenerationPerRequest, InProcessCacheGeneration, RedisCacheGeneration } from './shared-state/cache-generation';
import { SharedRateLimitStore } from './shared-state/rate-limit-store';
import { SharedRedis } from './shared-state/redis-connection';
import { sharedResponseCacheStore } from './shared-state/response-cache-store';
import { warmUp } from './warm-up';
import { supergraphSubgraphs } from './supergraph';
import type { SubgraphIdentity } from './transport/subgraph-errors';
import { MunicipalityRouter } from './transport/municipality-router';
import type { CredentialAudience } from '../services/common/auth/gateway-credential';
import { CITY_SUBGRAPH } from '../services/common/routing/city-subgraph';
import { subgraphConnections } from './transport/connection-pool';
import { SubgraphDataSource } from './transport/subgraph-data-source';
import { WriteJobs } from './transport/write-jobs';
import { BreakerMetrics, SubgraphBreaker } from './transport/circuit-breaker';

/** The forum's one GraphQL endpoint: `npm run gateway`. */
async function main(): Promise<void> {
  const config = readGatewayConfig();
  const limits = readLimits();
  const supergraphSdl = readFileSync(config.supergraphFile, 'utf8');
  const subgraphs = supergraphSubgraphs(supergraphSdl);
  const auth = readAuthConfig();
  const logger = createLogger('gateway', config.logLevel);
  // Who the members are and where each is reached: read again whenever the registry file changes.
  const directory = new MemberDirectory(registryPath(), process.env, (error) =>
    logger.error({ err: error }, 'the member registry changed but does not parse; the members as before stay in force'),
  ).watch();
  directory.onChange((registry) => logger.info({ members: registry.members.length }, 'member directory read again'));
  const registry = directory.current();
  // Per-municipality settings (SUBGRAPH_TIMEOUT_MS_<ID>) are read for the members known at start.
  const subgraphSettings = readSubgraphSettings(
    [...subgraphs.map((subgraph) => subgraph.name), ...registry.members.map((member) => member.id)],
    config.subgraphTimeoutMs,
  );
  const metrics = new ServiceMetrics('gateway');

  // On the embedded default the hub signs its own user tokens (`npm run token`); the key is made on first use.
  if (auth.localIssuer && 'file' in auth.users.keys) await loadOrCreateSigningKey(auth.users.keys.file);
  const users = new UserTokenVerifier(auth.users, { has: (city) => directory.knows(city) });
  const gatewayKey = await loadOrCreateSigningKey(auth.gatewayKeyFile);
  const credentials = new GatewayCredentialSigner(gatewayKey);
  // With REDIS_URL the replicas share the response cache, its generation and the rate-limit counts; without, each
  // keeps its own. Start-up waits for Redis for 2 s at most: until it answers, answers are uncached and requests uncounted.
  const shared = config.sharedState ? await SharedRedis.open(config.sharedState, logger) : undefined;
  // Advanced by the data sources when a subgraph committed a write; the response cache keys its answers by it.
  const generation = shared ? new RedisCacheGeneration(shared) : new InProcessCacheGeneration();
  const generations = new GenerationPerRequest(generation);
  // A member who joined, left, moved or whose join date changed changes answers no city committed a write for
  // (forum-wide progress, who may submit which year): what was cached before the change must not be served after it,
  // nor what was read while the forum and the cities were still following the change on their own clocks.
  directory.onChange(() => {
    void generation.advance();
    setTimeout(() => void generation.advance(), MEMBERSHIP_SETTLE_MS).unref();
  });
  const connections = subgraphConnections(config.subgraphTls);
  // Write jobs a city accepted through this gateway (figure imports), followed until they commit or end.
  const writeJobs = new WriteJobs(generation, credentials, connections, logger);
  const breakerMetrics = new BreakerMetrics(metrics.registry);

  const gateway = new ApolloGateway({
    supergraphSdl,
    logger,
    buildService: ({ name, url }) => {
      const dataSourceOf = (subgraph: SubgraphIdentity & { audience?: CredentialAudience }, address: string, timeoutMs = subgraphSettings(subgraph.name).timeoutMs) => {
        // A city back after an outage: answers kept while it was missing (RESPONSE_CACHE_PARTIAL_TTL_MS) are not served
        // any longer, so the next reader sees it at once rather than up to that long after.
        const breaker = new SubgraphBreaker(subgraph.name, config.breaker, breakerMetrics, logger, () => void generation.advance());
        return new SubgraphDataSource(subgraph, address, timeoutMs, credentials, logger, generation, breaker, writeJobs, connections);
      };
      if (name === CITY_SUBGRAPH) {
        return new MunicipalityRouter(directory, ({ url, members }) => {
          if (members.length === 1) {
            const member = directory.address(members[0]!)!;
            return dataSourceOf({ name: member.id, city: { id: member.id, name: member.name } }, url);
          }
          // A regional hub in front of several members: one breaker for the hub, and as long to answer as the slowest
          // of its members may take.
          return dataSourceOf({ name: url, audience: members }, url, Math.max(...members.map((id) => subgraphSettings(id).timeoutMs)));
        });
      }
      return dataSourceOf({ name }, subgraphSettings(name).url ?? url!);
    },
  });

  const readiness = new Readiness(
    () => [
      ...subgraphs.filter(({ name }) => name !== CITY_SUBGRAPH).map(({ name, url }) => ({ name, url: subgraphSettings(name).url ?? url })),
      ...directory.all().map(({ id, url }) => ({ name: id, url, city: id })),
    ],
    Math.min(config.subgraphTimeoutMs, 2_000),
    connections,
  );
  const common = commonApolloOptions('gateway', logger);
  const rateLimit = rateLimitPerUserAndAddress(limits.rateLimit, logger, shared && new SharedRateLimitStore(shared));
  const cors = corsAllowList(limits.corsOrigins);

  const server = await startHttpService<GatewayContext>({
    service: 'gateway',
    host: config.host,
    port: config.port,
    logger,
    metrics,
    createApollo: (drain) =>
      new ApolloServer<GatewayContext>({
        gateway,
        plugins: [
          drain,
          useIntrospectionPolicy(limits.anonymousIntrospection),
          useCityAvailabilityErrors(() => directory.current()),
          useLocalizedMessages(),
          useHiddenSuggestions(),
          ...useResponseCache(config.responseCache, generations, shared && sharedResponseCacheStore(shared)),
          // After the cache: a question it cannot answer joins the same question in flight, if one is.
          ...(config.shareAnswersInFlight ? [useSharedAnswers(generations, metrics.registry)] : []),
          ApolloServerPluginLandingPageDisabled(),
        ],
        ...queryLimitOptions(limits.query),
        ...common,
        formatError: (formatted, error) => common.formatError(withLimitCode(formatted, error), error),
      }),
    limits,
    trustProxy: limits.rateLimit.trustProxy,
    beforeAuthentication: cors ? [cors] : [],
    afterAuthentication: rateLimit ? [rateLimit] : [],
    metricsToken: config.metricsToken,
    authenticate: userAuthentication(users),
    context: async ({ viewer }) => ({ viewer }),
    beforeListening: (apollo) => warmUp(apollo, config.dashboardDir, registry, logger),
    // Redis away takes nothing but speed and shared limits: reported, never a reason to take the gateway out.
    health: async () => ({ status: 'ok', ...(shared ? { sharedState: shared.report() } : {}) }),
    ready: () => readiness.report(),
    routes: (app) => {
      // The fastest level: answers are JSON of a few KB, which it shrinks nearly as well at a fraction of the CPU.
      app.use(compression({ level: zlibConstants.Z_BEST_SPEED }));
      serveDashboard(
        app,
        config.dashboardDir,
        logger,
        auth.localIssuer ? null : { issuer: config.dashboardSignIn.issuer ?? auth.users.issuer, clientId: config.dashboardSignIn.clientId },
        { ageNoticeSeconds: config.dashboardAgeNoticeSeconds },
      );
      // Subgraphs configured with GATEWAY_JWKS_URL fetch the key that signs the gateway's credentials here.
      app.get('/.well-known/jwks.json', (_request, response) => {
        response.json({ keys: [{ ...gatewayKey.publicJwk, use: 'sig', alg: 'ES256' }] });
      });
    },
  });
  stopOnSignals(async () => {
    await server.stop();
    directory.close();
    await shared?.close();
  }, logger);
}

runMain('gateway', main);
