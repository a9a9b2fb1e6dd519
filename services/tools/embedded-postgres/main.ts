import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { runMain, stopOnSignals } from '../../common/process-lifecycle';
import { createLogger } from '../../common/logger';
import { embeddedDatabaseUrl, readEmbeddedPostgresConfig } from './config';
import { EmbeddedPostgresServer } from './socket-server';

/**
 * PostgreSQL with nothing to install: one PGlite database (PostgreSQL compiled to WebAssembly) served over the
 * PostgreSQL wire protocol, so that every service talks to it with `pg` exactly as it would to a real server.
 * Each service keeps to its own schema. `npm start` runs it when no DATABASE_URL is set.
 */
async function main(): Promise<void> {
  const config = readEmbeddedPostgresConfig();
  const logger = createLogger('embedded-postgres', config.logLevel);
  const settings = { postgresqlconf: [`shared_buffers=${config.sharedBuffers}`] };
  if (process.argv.includes(INITIALIZE)) {
    await (await PGlite.create({ dataDir: config.dataDir, ...settings })).close();
    return;
  }
  if (!config.dataDir.startsWith('memory://') && !existsSync(path.join(config.dataDir, 'PG_VERSION'))) {
    mkdirSync(config.dataDir, { recursive: true });
    initializeInItsOwnProcess(logger);
  }

  const db = await PGlite.create({ dataDir: config.dataDir, ...settings });
  const server = new EmbeddedPostgresServer({ db, host: config.host, port: config.port, maxConnections: config.maxConnections, logger });
  const port = await server.start();
  logger.info({ url: embeddedDatabaseUrl({ host: config.host, port }), dataDir: config.dataDir }, 'embedded-postgres ready');

  stopOnSignals(async () => {
    await server.stop();
    // Closing flushes PGlite's files: a database cut off here would have to recover on the next start.
    await db.close();
    logger.info('embedded-postgres stopped');
  }, logger);
}

const INITIALIZE = '--initialize';

/**
 * A new data directory is made by PostgreSQL's initdb, which takes some 600 MB that the WebAssembly memory never
 * gives back; in a process of its own, that memory is gone when it ends, instead of staying with the server.
 */
function initializeInItsOwnProcess(logger: ReturnType<typeof createLogger>): void {
  logger.info('first start: making the data directory');
  const initialization = spawnSync(process.execPath, [__filename, INITIALIZE], { stdio: 'inherit', env: process.env });
  if (initialization.status !== 0) throw new Error(`making the data directory failed (exit ${initialization.status ?? initialization.signal})`);
}

runMain('embedded-postgres', main);
