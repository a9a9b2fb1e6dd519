import { z } from 'zod';
import { env, readEnv } from '../../common/config';
import { fromProjectRoot } from '../../common/project-root';

export interface EmbeddedPostgresConfig {
  host: string;
  port: number;
  /** Where the data lives between runs; `memory://` keeps nothing. */
  dataDir: string;
  maxConnections: number;
  /** PostgreSQL's buffer cache; the demo data set is some 20 MB, and PGlite's memory never shrinks. */
  sharedBuffers: string;
  logLevel: string;
}

export const DEFAULT_EMBEDDED_PORT = 54329;

/** Settings of the embedded PostgreSQL server; documented in docs/configuration.md. */
export function readEmbeddedPostgresConfig(source: NodeJS.ProcessEnv = process.env): EmbeddedPostgresConfig {
  const values = readEnv(
    {
      EMBEDDED_DB_HOST: env.host(),
      EMBEDDED_DB_PORT: env.port(DEFAULT_EMBEDDED_PORT),
      EMBEDDED_DB_DIR: z.string().min(1).default(fromProjectRoot('.data', 'embedded-postgres')),
      EMBEDDED_DB_MAX_CONNECTIONS: env.positiveInt(100),
      EMBEDDED_DB_SHARED_BUFFERS: z.string().regex(/^\d+(kB|MB|GB)$/, 'a size such as 32MB').default('32MB'),
      LOG_LEVEL: env.logLevel(),
    },
    source,
  );
  return {
    host: values.EMBEDDED_DB_HOST,
    port: values.EMBEDDED_DB_PORT,
    dataDir: values.EMBEDDED_DB_DIR,
    maxConnections: values.EMBEDDED_DB_MAX_CONNECTIONS,
    sharedBuffers: values.EMBEDDED_DB_SHARED_BUFFERS,
    logLevel: values.LOG_LEVEL,
  };
}

export function embeddedDatabaseUrl(config: Pick<EmbeddedPostgresConfig, 'host' | 'port'>): string {
  return `postgres://postgres@${config.host}:${config.port}/postgres`;
}
