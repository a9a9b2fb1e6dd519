import { DataSource, QueryFailedError, type EntitySchema, type Logger as TypeOrmLogger, type MixedList } from 'typeorm';
import type { Logger } from './logger';
import type { ServiceMetrics } from './metrics';

export interface DatabaseOptions {
  url: string;
  /** Every service keeps its tables in a schema of its own, in embedded mode too (`city_duisburg`, `forum`). */
  schema: string;
  poolSize: number;
  entities: MixedList<Function | string | EntitySchema>;
  migrations: MixedList<Function | string>;
  applicationName: string;
  logger: Logger;
  metrics: ServiceMetrics;
}

/** Counts every statement for `/metrics` and sends TypeORM's own messages to the process logger. */
class CountingLogger implements TypeOrmLogger {
  constructor(
    private readonly logger: Logger,
    private readonly metrics: ServiceMetrics,
  ) {}

  logQuery(query: string): void {
    this.metrics.sqlStatements.inc();
    this.logger.trace({ query }, 'sql');
  }
  logQueryError(error: string | Error, query: string): void {
    this.metrics.sqlStatements.inc();
    this.logger.warn({ err: error, query }, 'sql statement failed');
  }
  logQuerySlow(time: number, query: string): void {
    this.logger.warn({ ms: time, query }, 'slow sql statement');
  }
  logSchemaBuild(message: string): void {
    this.logger.debug(message);
  }
  logMigration(message: string): void {
    this.logger.info(message);
  }
  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn({ message }, 'typeorm');
    else this.logger.debug({ message }, 'typeorm');
  }
}

export function quoteIdentifier(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

/**
 * Connects, creates the service's schema if needed and applies pending migrations. Schema changes only ever
 * come from migrations: `synchronize` stays off, so a deployed database is never altered behind anyone's back.
 */
export async function openDatabase(options: DatabaseOptions): Promise<DataSource> {
  const dataSource = new DataSource({
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    applicationName: options.applicationName,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    installExtensions: false,
    poolSize: options.poolSize,
    connectTimeoutMS: 5_000,
    maxQueryExecutionTime: 500,
    logger: new CountingLogger(options.logger, options.metrics),
    poolErrorHandler: (error: unknown) => options.logger.warn({ err: error }, 'database connection lost'),
  });
  await dataSource.initialize();
  try {
    await migrate(dataSource, options.schema);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}

/** Replicas of one service may start together; an advisory lock lets exactly one of them migrate at a time. */
async function migrate(dataSource: DataSource, schema: string): Promise<void> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [`integration-forum-hub:${schema}`]);
    await runner.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`);
    await dataSource.runMigrations();
  } finally {
    await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [`integration-forum-hub:${schema}`]).catch(() => undefined);
    await runner.release();
  }
}

/** For `/health`: whether the database answers, and how fast. */
export async function checkDatabase(dataSource: DataSource): Promise<{ ok: boolean; latencyMs: number; error?: string }> {
  const started = performance.now();
  try {
    await dataSource.query('SELECT 1');
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { ok: false, latencyMs: Math.round(performance.now() - started), error: (error as Error).message };
  }
}

/** A write that lost a race for a unique value (a revision number, a key) to a concurrent one. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505';
}
