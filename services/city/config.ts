import { readGatewayKeySource } from '../common/auth/auth-config';
import { readUsedCredentialSettings, type UsedCredentialSettings } from '../common/auth/used-credentials';
import { env, readEnv } from '../common/config';
import { readDatabaseSettings, type DatabaseSettings } from '../common/database-config';
import { readSubgraphServerSettings, type SubgraphServerSettings } from '../common/tls';
import type { Member } from '../common/registry';

export interface CityConfig {
  host: string;
  port: number;
  database: DatabaseSettings;
  /** Seed the demo data set into an empty database. Off by default: a real city's database gets no estimates. */
  demoData: boolean;
  logLevel: string;
  metricsToken?: string;
  gatewayKeys: ReturnType<typeof readGatewayKeySource>;
  /** Where the write credentials already used are remembered (`REDIS_URL`, `REDIS_KEY_PREFIX`). */
  usedCredentials: UsedCredentialSettings;
  /** HTTPS with client certificates (`TLS_*`) and the plain health port (`HEALTH_PORT`). */
  server: SubgraphServerSettings;
}

/**
 * Settings of one city's subgraph. Documented in docs/configuration.md.
 * @param member the city, from the registry; its `port` is the default `PORT`.
 */
export function readCityConfig(member: Member, source: NodeJS.ProcessEnv = process.env): CityConfig {
  const values = readEnv(
    {
      HOST: env.host(),
      PORT: env.port(member.port),
      DEMO_DATA: env.boolean(false),
      LOG_LEVEL: env.logLevel(),
      METRICS_TOKEN: env.metricsToken(),
    },
    source,
  );
  return {
    host: values.HOST,
    port: values.PORT,
    database: readDatabaseSettings(member.id, `city_${member.id}`, source),
    demoData: values.DEMO_DATA,
    logLevel: values.LOG_LEVEL,
    metricsToken: values.METRICS_TOKEN,
    gatewayKeys: readGatewayKeySource(source),
    usedCredentials: readUsedCredentialSettings(source),
    server: readSubgraphServerSettings(source),
  };
}
