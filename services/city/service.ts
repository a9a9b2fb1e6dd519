import 'reflect-metadata';
import { gatewayAuthentication } from '../common/auth/request-authentication';
import { openUsedCredentials } from '../common/auth/used-credentials';
import { checkDatabase } from '../common/database';
import { subgraphApollo } from '../common/apollo-options';
import { startHttpService } from '../common/http-service';
import { createLogger, type Logger } from '../common/logger';
import { subgraphLimits } from '../common/limits';
import { AnonymousRefusals } from '../common/audit/anonymous-refusals';
import { WriteReceipt } from '../common/write-receipt';
import { ServiceMetrics } from '../common/metrics';
import { retryUntilAvailable } from '../common/retry';
import { findMember, registryPath } from '../common/registry';
import { MemberDirectory } from '../common/routing/member-directory';
import { readSubgraphClientTls } from '../common/tls';
import { readCityConfig, readMembershipSettings } from './config';
import { FollowedMembership } from './membership';
import type { CityContext } from './context';
import { openCityDatabase } from './database';
import { seedDemoData } from './demo/seed';
import { loadIntegerSolver } from '../domain/suppression';
import { CityLoaders, warmWithheldFigures } from './figures.loaders';
import { FiguresStore } from './figures.store';
import { SubmissionsService } from './submissions/submissions.service';
import { FigureImportJobs } from './submissions/figure-import-jobs';
import { FOLLOWED_BY_THE_GATEWAY, RedisCommittedImports } from './committed-imports';
import { citySubgraphSchema } from './schema';
import { syncUnits } from './units.store';
import { unitsOf } from './units';

/** A city's subgraph while it serves: `stop` ends it (requests in flight finish, pools close). */
export interface RunningCity {
  readonly cityId: string;
  readonly logger: Logger;
  stop(): Promise<void>;
}

/**
 * Starts one city's subgraph in this process: its database (migrated as its owner, served as its runtime role),
 * the demo data where asked, and its HTTP server on its own port. Several may run in one process
 * (services/city/main.ts); each keeps its own database connection, role, credentials, caches and port.
 * @param source the settings (`process.env`); `PORT` and `HEALTH_PORT` only when the process serves this one city.
 */
export async function startCity(cityId: string, source: NodeJS.ProcessEnv = process.env): Promise<RunningCity> {
  // The registry file is followed while the city runs, and the forum asked for the corrections on top of it
  // (membership.ts): the join date its submissions are checked against, and whether it is a member at all, change
  // within seconds. Its address, database and units are read once, at start.
  let reloadFailed: (error: Error) => void = () => undefined;
  const directory = new MemberDirectory(registryPath(source), source, (error) => reloadFailed(error));
  const member = findMember(directory.current(), cityId);
  const config = readCityConfig(member, source);
  const service = `city-${member.id}`;
  const logger = createLogger(service, config.logLevel);
  reloadFailed = (error) => logger.error({ err: error }, 'the member registry changed but cannot be read; the entry as last read stays in force');
  directory.watch();
  const membership = new FollowedMembership(member, directory, readMembershipSettings(directory.current(), source), logger, readSubgraphClientTls(source));
  const metrics = new ServiceMetrics(service);

  const dataSource = await openCityDatabase(config.database, service, logger, metrics);
  // The database can fail again right after opening (a restart, a flapping network); so long as it is merely
  // unavailable, start-up waits for it rather than exiting. Both steps may run twice.
  const units = await retryUntilAvailable(() => syncUnits(dataSource, unitsOf(member)), { what: `the database of ${service}`, logger });
  const seeded = config.demoData && (await retryUntilAvailable(() => seedDemoData(dataSource, member, [...units.values()]), { what: `the database of ${service}`, logger }));
  if (seeded) logger.info('demo data set written');
  const usedCredentials = await openUsedCredentials(config.usedCredentials, member.id, logger);
  const gateway = await gatewayAuthentication(member.id, config.gatewayKeys, usedCredentials);
  const store = new FiguresStore(dataSource);
  const limits = subgraphLimits();
  const submissions = new SubmissionsService(dataSource, membership, units, logger, new AnonymousRefusals(limits.audit.anonymousRefusalsPerMinute, service, logger));
  // The city commits an import job's rows after its request was answered, so it starts the gateways' new cache
  // generation itself: in the Redis they share, or, without, the one gateway follows the job (docs/caching.md).
  const { redisUrl, keyPrefix } = config.usedCredentials;
  const committedImports = redisUrl ? RedisCommittedImports.open({ redisUrl, keyPrefix }, logger) : undefined;
  const importJobs = new FigureImportJobs(dataSource, submissions, membership, logger, committedImports ?? FOLLOWED_BY_THE_GATEWAY, config.importJobSilenceMs);

  const server = await startHttpService<CityContext>({
    service,
    host: config.host,
    port: config.port,
    logger,
    metrics,
    createApollo: subgraphApollo(citySubgraphSchema(), service, logger),
    metricsToken: config.metricsToken,
    limits,
    authenticate: gateway.authenticate,
    authorizeOperation: gateway.authorizeOperation,
    tls: config.server.tls,
    healthPort: config.server.healthPort,
    context: async ({ viewer }) => ({ member: membership.known().member, units, viewer, store, submissions, importJobs, loaders: new CityLoaders(store), writes: new WriteReceipt() }),
    // The solver is compiled before the port opens, so that a reader's first request (within the gateway's time
    // limit) does not pay for it; what each year withholds is computed after, in the background, and whatever a
    // request needs first it computes itself (the memo keeps it for both). Computing every year before opening held a
    // demo city's start-up for many seconds on a busy machine.
    beforeListening: () => loadIntegerSolver().then(() => undefined),
    health: async () => {
      const database = await checkDatabase(dataSource);
      return { status: database.ok ? 'ok' : 'unavailable', city: member.id, database };
    },
    onStop: async () => {
      directory.close();
      await membership.close();
      await usedCredentials.close();
      await importJobs.close();
      await committedImports?.close();
      await dataSource.destroy();
    },
  });

  const started = performance.now();
  warmWithheldFigures(store).then(
    (revisions) => logger.info({ revisions, ms: Math.round(performance.now() - started) }, 'withheld counts computed'),
    (error: unknown) => logger.warn({ err: error }, 'computing withheld counts ahead failed; each is computed on first use instead'),
  );
  return { cityId: member.id, logger, stop: server.stop };
}
