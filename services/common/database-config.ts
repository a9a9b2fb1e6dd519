import { z } from 'zod';
import { ConfigError, env, readEnv } from './config';

export interface DatabaseSettings {
  url: string;
  schema: string;
  poolSize: number;
  /** How long opening a connection may take. */
  connectTimeoutMs: number;
  /** How long one statement may take, or a transaction sit idle; past it the statement fails and its connection is dropped. */
  queryTimeoutMs: number;
}

/** @default 5 s: a database that takes longer to accept a connection counts as unavailable. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
/** @default 30 s: generous for the largest import; a statement that takes longer is stuck, not slow. */
export const DEFAULT_QUERY_TIMEOUT_MS = 30_000;

/**
 * A service's database: `DATABASE_URL_<SERVICE>` if set (each city may have its own server), else the shared
 * `DATABASE_URL`; its own schema (`DATABASE_SCHEMA`, default per service) keeps services apart on a shared server.
 */
export function readDatabaseSettings(serviceId: string, defaultSchema: string, source: NodeJS.ProcessEnv = process.env): DatabaseSettings {
  const ownVariable = `DATABASE_URL_${serviceId.toUpperCase()}`;
  const url = source[ownVariable] ?? source.DATABASE_URL;
  if (url === undefined) {
    throw new ConfigError(
      `invalid configuration:\n  DATABASE_URL: required (or ${ownVariable} for this service alone), e.g. postgres://postgres@127.0.0.1:5432/integration_forum_hub`,
    );
  }
  const settings = readEnv(
    {
      [source[ownVariable] === undefined ? 'DATABASE_URL' : ownVariable]: env.postgresUrl(),
      DATABASE_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]*$/, 'lower-case letters, digits and _').default(defaultSchema),
      DATABASE_POOL_SIZE: env.positiveInt(4),
      DATABASE_CONNECT_TIMEOUT_MS: env.positiveInt(DEFAULT_CONNECT_TIMEOUT_MS),
      DATABASE_QUERY_TIMEOUT_MS: env.positiveInt(DEFAULT_QUERY_TIMEOUT_MS),
    },
    source,
  );
  return {
    url,
    schema: String(settings.DATABASE_SCHEMA),
    poolSize: Number(settings.DATABASE_POOL_SIZE),
    connectTimeoutMs: Number(settings.DATABASE_CONNECT_TIMEOUT_MS),
    queryTimeoutMs: Number(settings.DATABASE_QUERY_TIMEOUT_MS),
  };
}
