import { Client as PgClient, type ClientConfig } from 'pg';
import { DataSource, QueryFailedError, type EntitySchema, type Logger as TypeOrmLogger, type MigrationInterface, type MixedList } from 'typeorm';
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_QUERY_TIMEOUT_MS } from './database-config';
import {
  MIGRATIONS_TABLE,
  PROVISIONING_LOCK,
  defaultRolePrefix,
  derivedPassword,
  loginUrl,
  provisioningStatements,
  quoteIdentifier,
  runtimeGrantStatements,
  serviceRoles,
  type RuntimePrivileges,
} from './database-roles';
import type { Logger } from './logger';
import type { ServiceMetrics } from './metrics';

export interface DatabaseOptions {
  /**
   * The service's runtime connection (`DATABASE_URL`). A superuser's URL instead makes the service set up its roles
   * itself and connect as them (docs/security.md#database-roles); the superuser's connection ends before it serves.
   */
  url: string;
  /** The schema owner's connection, for the migrations (`DATABASE_OWNER_URL`); unset: the schema must be migrated already. */
  ownerUrl?: string;
  /** Where a message tells the operator to set the owner's URL. @default 'DATABASE_OWNER_URL' */
  ownerUrlVariable?: string;
  /** Beginning of the names of the roles the service makes itself (`DATABASE_ROLE_PREFIX`). @default the database's name */
  rolePrefix?: string;
  /** What the runtime role may do beyond reading the service's tables and adding rows to them. */
  privileges: RuntimePrivileges;
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

export { quoteIdentifier };

/** The connections a service uses: the runtime one it serves with, and the owner's for migrations, if it has one. */
interface ServiceConnections {
  runtimeUrl: string;
  runtimeRole: string;
  ownerUrl?: string;
  /** The service made its roles itself, with a superuser's URL. */
  provisioned: boolean;
}

/**
 * Opens the service's runtime connection pool, after bringing its schema up to date over the owner's connection.
 * Schema changes only ever come from migrations: `synchronize` stays off, so a deployed database is never altered
 * behind anyone's back. The pool logs in as the runtime role and never holds the owner or a superuser.
 */
export async function openDatabase(options: DatabaseOptions): Promise<DataSource> {
  const connections = await serviceConnections(options);
  if (connections.ownerUrl !== undefined) await migrateAsOwner(options, connections.ownerUrl, connections.runtimeRole);
  const dataSource = new DataSource({
    type: 'postgres',
    url: connections.runtimeUrl,
    schema: options.schema,
    applicationName: options.applicationName,
    entities: options.entities,
    synchronize: false,
    installExtensions: false,
    poolSize: options.poolSize,
    connectTimeoutMS: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    extra: databaseTimeouts(options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS),
    maxQueryExecutionTime: 500,
    logger: new CountingLogger(options.logger, options.metrics),
    poolErrorHandler: (error: unknown) => options.logger.warn({ err: error }, 'database connection lost'),
  });
  try {
    await dataSource.initialize();
  } catch (error) {
    throw connections.provisioned ? explainLoginFailure(error, connections.runtimeRole) : error;
  }
  try {
    await assertRuntimeRole(dataSource, options.schema);
    if (connections.ownerUrl === undefined) await assertMigrated(dataSource, options, connections.runtimeRole);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}

/**
 * Asks the server who `options.url` is. A superuser's URL (a developer's, the tests', the embedded server's) gets the
 * service's two roles made or brought in line, and the service continues as them; any other URL is the runtime
 * connection, and `ownerUrl` the owner's.
 */
async function serviceConnections(options: DatabaseOptions): Promise<ServiceConnections> {
  const probe = new ConnectionThatHangsUpOnSilence(connectionConfig(options.url, `${options.applicationName} (provisioning)`, options));
  // A connection lost mid-way fails the statement waiting on it; the event alone must not end the process.
  probe.on('error', () => undefined);
  await probe.connect();
  try {
    const { rows } = await probe.query(
      `SELECT current_user AS role, rolsuper AS superuser, current_database() AS database, version() LIKE '%PGlite%' AS embedded
       FROM pg_roles WHERE rolname = current_user`,
    );
    const { role, superuser, database, embedded } = rows[0] as { role: string; superuser: boolean; database: string; embedded: boolean };
    if (!superuser) return { runtimeUrl: options.url, runtimeRole: role, ownerUrl: options.ownerUrl, provisioned: false };
    if (options.ownerUrl !== undefined) {
      throw new Error(
        `DATABASE_URL connects as the superuser ${role}, and ${options.ownerUrlVariable ?? 'DATABASE_OWNER_URL'} is set too: ` +
          "give either a superuser's URL alone (the service then makes its own roles), or the runtime role's URL with the owner's",
      );
    }
    const roles = serviceRoles(options.rolePrefix ?? defaultRolePrefix(database), options.schema);
    // Embedded PostgreSQL checks no passwords, and hashing them (SCRAM, in WebAssembly) would slow every start.
    const passwords = embedded
      ? { owner: null, runtime: null }
      : { owner: derivedPassword(options.url, roles.owner), runtime: derivedPassword(options.url, roles.runtime) };
    await provisionRoles(probe, options.schema, roles, passwords);
    options.logger.info({ schema: options.schema, owner: roles.owner, runtime: roles.runtime }, 'database roles provisioned');
    return {
      runtimeUrl: loginUrl(options.url, roles.runtime, passwords.runtime),
      runtimeRole: roles.runtime,
      ownerUrl: loginUrl(options.url, roles.owner, passwords.owner),
      provisioned: true,
    };
  } finally {
    await probe.end().catch(() => undefined);
  }
}

/** Makes or brings in line a service's roles and schema, over a superuser's connection, one service at a time. */
export async function provisionRoles(
  superuser: PgClient,
  schema: string,
  roles: { owner: string; runtime: string },
  passwords: { owner: string | null; runtime: string | null },
): Promise<void> {
  await superuser.query('BEGIN');
  try {
    await superuser.query('SELECT pg_advisory_xact_lock(hashtext($1))', [PROVISIONING_LOCK]);
    const [setPasswords, ...rest] = provisioningStatements(schema, roles, { owner: '$1::text', runtime: '$2::text' });
    await superuser.query(setPasswords!, [passwords.owner ?? '', passwords.runtime ?? '']);
    for (const statement of rest) await superuser.query(statement);
    await superuser.query('COMMIT');
  } catch (error) {
    await superuser.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** Applies pending migrations as the schema's owner, then grants the runtime role what it needs; the connection ends after. */
async function migrateAsOwner(options: DatabaseOptions, ownerUrl: string, runtimeRole: string): Promise<void> {
  const owner = new DataSource({
    type: 'postgres',
    url: ownerUrl,
    schema: options.schema,
    applicationName: `${options.applicationName} (migrations)`,
    entities: [],
    migrations: options.migrations,
    migrationsTableName: MIGRATIONS_TABLE,
    migrationsTransactionMode: 'each',
    synchronize: false,
    installExtensions: false,
    // One connection holds the lock, another runs the migrations.
    poolSize: 2,
    connectTimeoutMS: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    extra: databaseTimeouts(options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS),
    logger: new CountingLogger(options.logger, options.metrics),
    poolErrorHandler: (error: unknown) => options.logger.warn({ err: error }, 'database connection lost'),
  });
  await owner.initialize();
  try {
    await migrate(owner, options.schema, runtimeRole, options.privileges);
  } finally {
    await owner.destroy();
  }
}

/**
 * Time limits of every connection: the server cancels a statement that runs too long and ends a transaction left
 * open (a service that froze or lost its network mid-transaction would otherwise hold its locks); the service
 * hangs up on a server that does not answer at all.
 */
function databaseTimeouts(queryTimeoutMs: number) {
  return { Client: ConnectionThatHangsUpOnSilence, ...sessionTimeouts(queryTimeoutMs) };
}

function sessionTimeouts(queryTimeoutMs: number) {
  return {
    statement_timeout: queryTimeoutMs,
    idle_in_transaction_session_timeout: queryTimeoutMs,
    query_timeout: queryTimeoutMs + NO_ANSWER_GRACE_MS,
  };
}

/** A single connection with the same time limits as the pools. */
function connectionConfig(url: string, applicationName: string, options: Pick<DatabaseOptions, 'connectTimeoutMs' | 'queryTimeoutMs'>): ClientConfig {
  return {
    connectionString: url,
    application_name: applicationName,
    connectionTimeoutMillis: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    ...sessionTimeouts(options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS),
  };
}

/** Replicas of one service may start together; an advisory lock lets exactly one of them migrate at a time. */
async function migrate(dataSource: DataSource, schema: string, runtimeRole: string, privileges: RuntimePrivileges): Promise<void> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [`integration-forum-hub:${schema}`]);
    const [{ exists }] = (await runner.query('SELECT EXISTS (SELECT FROM pg_namespace WHERE nspname = $1) AS exists', [schema])) as [{ exists: boolean }];
    // An owner that may not create schemas in the database (one provisioned by a DBA) finds its schema made for it.
    if (!exists) await runner.query(`CREATE SCHEMA ${quoteIdentifier(schema)}`);
    await dataSource.runMigrations();
    await runner.startTransaction();
    for (const statement of runtimeGrantStatements(schema, runtimeRole, privileges)) await runner.query(statement);
    await runner.commitTransaction();
  } finally {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [`integration-forum-hub:${schema}`]).catch(() => undefined);
    await runner.release();
  }
}

/**
 * The runtime connection must be able to do less than the owner: a superuser, the schema's owner or a member of the
 * owner's role could change or remove what the database promises to keep; a role that may create roles can make
 * itself a member of any other (PostgreSQL 15), and the predefined `pg_write_all_data` and `pg_read_all_data` reach
 * every schema.
 */
async function assertRuntimeRole(dataSource: DataSource, schema: string): Promise<void> {
  const [role] = (await dataSource.query(
    `SELECT r.rolname AS name,
            CASE WHEN r.rolsuper THEN 'is a superuser'
                 WHEN COALESCE(pg_has_role(r.oid, n.nspowner, 'MEMBER'), false) THEN 'owns the schema ' || $1::text
                 WHEN r.rolcreaterole THEN 'may create roles'
                 WHEN EXISTS (SELECT FROM pg_roles p WHERE p.rolname IN ('pg_read_all_data', 'pg_write_all_data') AND pg_has_role(r.oid, p.oid, 'MEMBER'))
                   THEN 'reads or writes all data'
            END AS too_much
     FROM pg_roles r LEFT JOIN pg_namespace n ON n.nspname = $1::text WHERE r.rolname = current_user`,
    [schema],
  )) as [{ name: string; too_much: string | null }];
  if (role.too_much !== null) {
    throw new Error(
      `the runtime connection logs in as ${role.name}, which ${role.too_much}: ` +
        'DATABASE_URL must name a role that may only read and add to its tables, and DATABASE_OWNER_URL the owner ' +
        '(npm run db:provision makes both; docs/security.md#database-roles)',
    );
  }
}

/** Without the owner's connection the service cannot migrate: it starts only on a schema that needs nothing. */
async function assertMigrated(dataSource: DataSource, options: DatabaseOptions, runtimeRole: string): Promise<void> {
  const expected = (options.migrations as Array<Function | string>).map((migration) =>
    typeof migration === 'string' ? migration : (new (migration as new () => MigrationInterface)().name ?? migration.name),
  );
  let applied: string[] = [];
  try {
    const rows = (await dataSource.query(`SELECT name FROM ${quoteIdentifier(options.schema)}.${MIGRATIONS_TABLE}`)) as Array<{ name: string }>;
    applied = rows.map((row) => row.name);
  } catch (error) {
    const code = (error as { driverError?: { code?: string } }).driverError?.code;
    // No schema, no table of migrations, or nothing granted on them: nothing is migrated as far as this role can tell.
    if (code !== '3F000' && code !== '42P01' && code !== '42501') throw error;
  }
  const pending = expected.filter((name) => !applied.includes(name));
  if (pending.length > 0) {
    throw new Error(
      `the schema ${options.schema} is not migrated (pending: ${pending.join(', ')}), and ${runtimeRole}, the runtime role, may not change it: ` +
        `set ${options.ownerUrlVariable ?? 'DATABASE_OWNER_URL'} to the schema owner's URL so that the service migrates at start ` +
        '(npm run db:provision -- --service <id> makes the roles; docs/deployment.md#the-database-roles-of-a-city)',
    );
  }
}

/** A role the service made itself but cannot log in as: most likely pg_hba.conf admits only some roles. */
function explainLoginFailure(error: unknown, role: string): unknown {
  const code = (error as { code?: string }).code;
  if (code !== '28000' && code !== '28P01') return error;
  return new Error(
    `cannot log in as ${role}, the runtime role the service made for itself (${(error as Error).message}): ` +
      "the server's pg_hba.conf must admit it to this database with a password (scram-sha-256) or trust",
  );
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
