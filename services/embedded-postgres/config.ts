import { z } from 'zod';
import { env, readEnv } from '../common/config';
import { fromProjectRoot } from '../common/project-root';

export interface EmbeddedPostgresConfig {
  host: string;
  port: number;
  /** Where the data lives between runs; `memory://` keeps nothing. */
  dataDir: string;
  maxConnections: number;
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
      LOG_LEVEL: env.logLevel(),
    },
    source,
  );
  return {
    host: values.EMBEDDED_DB_HOST,
    port: values.EMBEDDED_DB_PORT,
    dataDir: values.EMBEDDED_DB_DIR,
    maxConnections: values.EMBEDDED_DB_MAX_CONNECTIONS,
    logLevel: values.LOG_LEVEL,
  };
}

export function embeddedDatabaseUrl(config: Pick<EmbeddedPostgresConfig, 'host' | 'port'>): string {
  return `postgres://postgres@${config.host}:${config.port}/postgres`;
}
