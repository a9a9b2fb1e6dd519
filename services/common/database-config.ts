import { z } from 'zod';
import { ConfigError, env, readEnv } from './config';

export interface DatabaseSettings {
  /** The runtime connection, or a superuser's (the service then makes its roles itself). */
  url: string;
  /** The schema owner's connection, for migrations. */
  ownerUrl?: string;
  /** The variable that would name the owner's connection, for messages. */
  ownerUrlVariable?: string;
  /** Beginning of the role names the service makes itself with a superuser's URL; unset: the database's name. */
  rolePrefix?: string;
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
 * The schema owner's connection likewise: `DATABASE_OWNER_URL_<SERVICE>`, else `DATABASE_OWNER_URL`.
 */
export function readDatabaseSettings(serviceId: string, defaultSchema: string, source: NodeJS.ProcessEnv = process.env): DatabaseSettings {
  const ownVariable = `DATABASE_URL_${serviceId.toUpperCase()}`;
  const ownOwnerVariable = `DATABASE_OWNER_URL_${serviceId.toUpperCase()}`;
  const ownerVariable = source[ownOwnerVariable] === undefined ? 'DATABASE_OWNER_URL' : ownOwnerVariable;
  const url = source[ownVariable] ?? source.DATABASE_URL;
  if (url === undefined) {
    throw new ConfigError(
      `invalid configuration:\n  DATABASE_URL: required (or ${ownVariable} for this service alone), e.g. postgres://postgres@127.0.0.1:5432/integration_forum_hub`,
    );
  }
  const settings = readEnv(
    {
      [source[ownVariable] === undefined ? 'DATABASE_URL' : ownVariable]: env.postgresUrl(),
      [ownerVariable]: env.postgresUrl().optional(),
      DATABASE_ROLE_PREFIX: z
        .string()
        .regex(/^[a-z_][a-z0-9_]*$/, 'lower-case letters, digits and _')
        .max(40, 'at most 40 characters, so that role names stay within 63 bytes unshortened')
        .optional(),
      DATABASE_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]*$/, 'lower-case letters, digits and _').default(defaultSchema),
      DATABASE_POOL_SIZE: env.positiveInt(4),
      DATABASE_CONNECT_TIMEOUT_MS: env.positiveInt(DEFAULT_CONNECT_TIMEOUT_MS),
      DATABASE_QUERY_TIMEOUT_MS: env.positiveInt(DEFAULT_QUERY_TIMEOUT_MS),
    },
    source,
  );
  return {
    url,
    ownerUrl: settings[ownerVariable] as string | undefined,
    ownerUrlVariable: `${ownOwnerVariable} or DATABASE_OWNER_URL`,
    rolePrefix: settings.DATABASE_ROLE_PREFIX as string | undefined,
    schema: String(settings.DATABASE_SCHEMA),
    poolSize: Number(settings.DATABASE_POOL_SIZE),
    connectTimeoutMs: Number(settings.DATABASE_CONNECT_TIMEOUT_MS),
    queryTimeoutMs: Number(settings.DATABASE_QUERY_TIMEOUT_MS),
  };
}
