import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { runMain, stopOnSignals } from '../common/http-service';
import { createLogger } from '../common/logger';
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
  if (!config.dataDir.startsWith('memory://')) mkdirSync(config.dataDir, { recursive: true });

  const db = await PGlite.create({ dataDir: config.dataDir });
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

runMain('embedded-postgres', main);
