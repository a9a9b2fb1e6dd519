import { readGatewayKeySource } from '../common/auth/auth-config';
import { env, readEnv } from '../common/config';
import { readDatabaseSettings, type DatabaseSettings } from '../common/database-config';
import type { Registry } from '../common/registry';

export interface ForumConfig {
  host: string;
  port: number;
  database: DatabaseSettings;
  logLevel: string;
  metricsToken?: string;
  gatewayKeys: ReturnType<typeof readGatewayKeySource>;
}

/** Settings of the forum subgraph. Documented in docs/configuration.md. */
export function readForumConfig(registry: Registry, source: NodeJS.ProcessEnv = process.env): ForumConfig {
  const values = readEnv(
    { HOST: env.host(), PORT: env.port(registry.forum.port), LOG_LEVEL: env.logLevel(), METRICS_TOKEN: env.metricsToken() },
    source,
  );
  return {
    host: values.HOST,
    port: values.PORT,
    database: readDatabaseSettings('forum', 'forum', source),
    logLevel: values.LOG_LEVEL,
    metricsToken: values.METRICS_TOKEN,
    gatewayKeys: readGatewayKeySource(source),
  };
}
