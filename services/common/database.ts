import { Client as PgClient } from 'pg';
import { DataSource, QueryFailedError, type EntitySchema, type Logger as TypeOrmLogger, type MixedList } from 'typeorm';
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_QUERY_TIMEOUT_MS } from './database-config';
import type { Logger } from './logger';
import type { ServiceMetrics } from './metrics';

export interface DatabaseOptions {
  url: string;
  /** Every service keeps its tables in a schema of its own, in embedded mode too (`city_duisburg`, `forum`). */
  schema: string;
  poolSize: number;
  /** @default DEFAULT_CONNECT_TIMEOUT_MS */
  connectTimeoutMs?: number;
  /** Limit of one statement and of an idle transaction. @default DEFAULT_QUERY_TIMEOUT_MS */
  queryTimeoutMs?: number;
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

/** pg's error for a statement that got no answer within `query_timeout`. */
const NO_ANSWER_MESSAGE = 'Query read timeout';
/** How much longer than the server's own limit the service waits: where the server is there, its cancellation comes first. */
const NO_ANSWER_GRACE_MS = 1_000;

/**
 * A connection that hangs up when a statement gets no answer at all. pg's `query_timeout` fails the statement but
 * keeps the connection, still waiting for that answer, and the pool hands it out again: after a silent network or
 * a frozen server every later statement on it would hang for good. `end()` on a connection with a statement in
 * flight closes the socket at once, and the pool drops a connection that is ending.
 */
class ConnectionThatHangsUpOnSilence extends PgClient {
  // pg's query() has a dozen overloads (promise, callback, submittable); this wraps them all alike.
  override query(...args: any[]): any {
    const hangUpOnSilence = (error: unknown) => {
      if ((error as Error | undefined)?.message === NO_ANSWER_MESSAGE) this.end().catch(() => undefined);
    };
    const callback: unknown = args.at(-1);
    if (typeof callback === 'function') {
      args[args.length - 1] = (error: unknown, result: unknown) => {
        hangUpOnSilence(error);
        callback(error, result);
      };
    }
    const result: unknown = (PgClient.prototype.query as (...parameters: unknown[]) => unknown).apply(this, args);
    if (result instanceof Promise) result.catch(hangUpOnSilence);
    return result;
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
    connectTimeoutMS: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    extra: databaseTimeouts(options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS),
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

/**
 * Time limits of every connection: the server cancels a statement that runs too long and ends a transaction left
 * open (a service that froze or lost its network mid-transaction would otherwise hold its locks); the service
 * hangs up on a server that does not answer at all.
 */
function databaseTimeouts(queryTimeoutMs: number) {
  return {
    Client: ConnectionThatHangsUpOnSilence,
    statement_timeout: queryTimeoutMs,
    idle_in_transaction_session_timeout: queryTimeoutMs,
    query_timeout: queryTimeoutMs + NO_ANSWER_GRACE_MS,
  };
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

/** A health probe must get its answer quickly, whatever the database does; slower than this counts as unavailable. */
export const HEALTH_CHECK_TIMEOUT_MS = 2_000;

/** For `/health`: whether the database answers within `timeoutMs`, and how fast. */
export async function checkDatabase(dataSource: DataSource, timeoutMs = HEALTH_CHECK_TIMEOUT_MS): Promise<{ ok: boolean; latencyMs: number; error?: string }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      dataSource.query('SELECT 1'),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs))),
    ]);
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { ok: false, latencyMs: Math.round(performance.now() - started), error: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

/** A write that lost a race for a unique value (a revision number, a key) to a concurrent one. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505';
}
