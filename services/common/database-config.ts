import { z } from 'zod';
import { ConfigError, env, readEnv } from './config';

export interface DatabaseSettings {
  url: string;
  schema: string;
  poolSize: number;
}

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
    },
    source,
  );
  return { url, schema: String(settings.DATABASE_SCHEMA), poolSize: Number(settings.DATABASE_POOL_SIZE) };
}
