import { env, readEnv } from '../common/config';
import { readDatabaseSettings, type DatabaseSettings } from '../common/database-config';
import type { Registry } from '../common/registry';

export interface ForumConfig {
  host: string;
  port: number;
  database: DatabaseSettings;
  logLevel: string;
}

/** Settings of the forum subgraph. Documented in docs/configuration.md. */
export function readForumConfig(registry: Registry, source: NodeJS.ProcessEnv = process.env): ForumConfig {
  const values = readEnv({ HOST: env.host(), PORT: env.port(registry.forum.port), LOG_LEVEL: env.logLevel() }, source);
  return {
    host: values.HOST,
    port: values.PORT,
    database: readDatabaseSettings('forum', 'forum', source),
    logLevel: values.LOG_LEVEL,
  };
}
