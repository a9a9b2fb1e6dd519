import { readGatewayKeySource } from '../common/auth/auth-config';
import { readUsedCredentialSettings, type UsedCredentialSettings } from '../common/auth/used-credentials';
import { env, readEnv } from '../common/config';
import { readDatabaseSettings, type DatabaseSettings } from '../common/database-config';
import { readSubgraphServerSettings, type SubgraphServerSettings } from '../common/tls';
import type { Registry } from '../common/registry';

export interface ForumConfig {
  host: string;
  port: number;
  database: DatabaseSettings;
  logLevel: string;
  metricsToken?: string;
  gatewayKeys: ReturnType<typeof readGatewayKeySource>;
  /** Where the write credentials already used are remembered (`REDIS_URL`, `REDIS_KEY_PREFIX`). */
  usedCredentials: UsedCredentialSettings;
  /** HTTPS with client certificates (`TLS_*`) and the plain health port (`HEALTH_PORT`). */
  server: SubgraphServerSettings;
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
    usedCredentials: readUsedCredentialSettings(source),
    server: readSubgraphServerSettings(source),
  };
}
