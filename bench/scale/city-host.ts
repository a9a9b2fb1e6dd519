/**
 * One process serving many cities for `npm run bench:scale`: each city is the real city subgraph (its own schema
 * stamp, resolvers, FiguresStore, dataloaders, the gateway's signed credential checked, `startHttpService` on a
 * port of its own), as services/city/main.ts starts it, but several hundred of them cannot each have a process and
 * a PostgreSQL of their own on one machine. So the cities of a host share its Node process, one embedded
 * PostgreSQL (services/tools/embedded-postgres, a process of its own, started by bench/scale/main.ts) with a schema per
 * city, and one metrics registry. Started by bench/scale/main.ts with IPC; reports `ready` with its set-up times,
 * or `failed`.
 *
 * Environment: MEMBERS_FILE (the generated registry), SCALE_HOST_CITIES (ids, comma-separated), DATABASE_URL (the
 * host's embedded PostgreSQL), GATEWAY_KEY_FILE, LOG_LEVEL.
 */
import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import { gatewayAuthentication } from '../../services/common/auth/request-authentication';
import { readGatewayKeySource } from '../../services/common/auth/auth-config';
import { subgraphApollo } from '../../services/common/apollo-options';
import { checkDatabase } from '../../services/common/database';
import { startHttpService, type HttpService } from '../../services/common/http-service';
import { subgraphLimits } from '../../services/common/limits';
import { AnonymousRefusals } from '../../services/common/audit/anonymous-refusals';
import { WriteReceipt } from '../../services/common/write-receipt';
import { createLogger } from '../../services/common/logger';
import { ServiceMetrics } from '../../services/common/metrics';
import { findMember, loadRegistry, type Member } from '../../services/common/registry';
import type { CityContext } from '../../services/city/context';
import { openCityDatabase } from '../../services/city/database';
import { seedDemoData } from '../../services/city/demo/seed';
import { CityLoaders } from '../../services/city/figures.loaders';
import { FiguresStore } from '../../services/city/figures.store';
import { citySubgraphSchema } from '../../services/city/schema';
import { FigureImportJobs } from '../../services/city/submissions/figure-import-jobs';
import { FOLLOWED_BY_THE_GATEWAY } from '../../services/city/committed-imports';
import { IMPORT_JOB_SILENCE_MS } from '../../services/domain/import-jobs';
import { SubmissionsService } from '../../services/city/submissions/submissions.service';
import { fixedMembership } from '../../services/city/membership';
import { syncUnits } from '../../services/city/units.store';
import { unitsOf } from '../../services/city/units';

/** Cities set up at once: PGlite runs one statement at a time anyway, this only overlaps the JavaScript around it. */
const SETUP_PARALLELISM = 4;
/** Connections per city: its dataloaders send a few statements at once, and PGlite serialises them regardless. */
export const CITY_POOL_SIZE = 2;
const HOST = '127.0.0.1';

export type HostMessage =
  | { type: 'ready'; cities: number; setupMs: number; migrateMs: number; seedMs: number; serveMs: number }
  | { type: 'failed'; error: string };

async function main(): Promise<void> {
  const started = performance.now();
  const logLevel = process.env.LOG_LEVEL ?? 'warn';
  const registry = loadRegistry();
  const members = (process.env.SCALE_HOST_CITIES ?? '').split(',').filter(Boolean).map((id) => findMember(registry, id));
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL: required (the host\'s embedded PostgreSQL)');
  const metrics = new ServiceMetrics('scale-city-host');
  const gatewayKeys = readGatewayKeySource();

  const totals = { migrateMs: 0, seedMs: 0, serveMs: 0 };
  const services: HttpService[] = [];
  const queue = [...members];
  const startCity = async (member: Member) => {
    const service = `city-${member.id}`;
    const cityLogger = createLogger(service, logLevel);
    let mark = performance.now();
    const settings = { url, schema: `city_${member.id}`, poolSize: CITY_POOL_SIZE, connectTimeoutMs: 30_000, queryTimeoutMs: 60_000 };
    const dataSource: DataSource = await openCityDatabase(settings, service, cityLogger, metrics);
    totals.migrateMs += performance.now() - mark;
    mark = performance.now();
    const units = await syncUnits(dataSource, unitsOf(member));
    await seedDemoData(dataSource, member, [...units.values()]);
    totals.seedMs += performance.now() - mark;
    mark = performance.now();
    const store = new FiguresStore(dataSource);
    const limits = subgraphLimits();
    const membership = fixedMembership(member);
    const submissions = new SubmissionsService(dataSource, membership, units, cityLogger, new AnonymousRefusals(limits.audit.anonymousRefusalsPerMinute, service, cityLogger));
    const importJobs = new FigureImportJobs(dataSource, submissions, membership, cityLogger, FOLLOWED_BY_THE_GATEWAY, IMPORT_JOB_SILENCE_MS);
    const gateway = await gatewayAuthentication(member.id, gatewayKeys);
    services.push(
      await startHttpService<CityContext>({
        service,
        host: HOST,
        port: member.port,
        logger: cityLogger,
        metrics,
        createApollo: subgraphApollo(citySubgraphSchema(), service, cityLogger),
        limits,
        authenticate: gateway.authenticate,
        authorizeOperation: gateway.authorizeOperation,
        context: async ({ viewer }) => ({ member, units, viewer, store, submissions, importJobs, loaders: new CityLoaders(store), writes: new WriteReceipt() }),
        health: async () => {
          const check = await checkDatabase(dataSource);
          return { status: check.ok ? 'ok' : 'unavailable', city: member.id, database: check };
        },
        onStop: () => dataSource.destroy(),
      }),
    );
    totals.serveMs += performance.now() - mark;
  };
  await Promise.all(
    Array.from({ length: SETUP_PARALLELISM }, async () => {
      for (let member = queue.shift(); member; member = queue.shift()) await startCity(member);
    }),
  );
  send({ type: 'ready', cities: members.length, setupMs: performance.now() - started, ...totals });

  const stop = async () => {
    await Promise.allSettled(services.map((service) => service.stop()));
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('disconnect', () => void stop());
}

function send(message: HostMessage): void {
  process.send?.(message);
}

// Only when started as a host: the benchmark imports this file for its types and constants.
if (require.main === module) {
  main().catch((error: unknown) => {
    send({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.exit(1);
  });
}
