import { z } from 'zod';
import { defaultKeyFile, readGatewayKeySource } from '../common/auth/auth-config';
import { readUsedCredentialSettings, type UsedCredentialSettings } from '../common/auth/used-credentials';
import { env, readEnv } from '../common/config';
import { registryPath } from '../common/registry';
import { CITY_ROUTER_PORT } from '../common/routing/city-subgraph';
import { readSubgraphClientTls, readSubgraphServerSettings, type SubgraphClientTls, type SubgraphServerSettings } from '../common/tls';

export interface RouterConfig {
  host: string;
  port: number;
  logLevel: string;
  metricsToken?: string;
  /** The member registry whose members it routes to (`MEMBERS_FILE`), read again whenever it changes. */
  membersFile: string;
  /** How long one member's service has to answer one part (`SUBGRAPH_TIMEOUT_MS`), as at the gateway. */
  timeoutMs: number;
  /** Whom it takes requests from: the hub in front of it (`GATEWAY_JWKS_URL` or `GATEWAY_KEY_FILE`), as a city does. */
  callerKeys: ReturnType<typeof readGatewayKeySource>;
  /**
   * The key it signs the members' credentials with (`ROUTER_KEY_FILE`, made on first use). By default the file of
   * `GATEWAY_KEY_FILE`, else the hub's default gateway key: on one machine the router then signs as the gateway does,
   * and cities on their defaults trust it. Public half at `/.well-known/jwks.json`.
   */
  signingKeyFile: string;
  /** Where used write credentials are remembered (`REDIS_URL`, `REDIS_KEY_PREFIX`), as at a city. */
  usedCredentials: UsedCredentialSettings;
  /** HTTPS with client certificates towards its callers (`TLS_*`, `HEALTH_PORT`), as at a city. */
  server: SubgraphServerSettings;
  /** TLS towards the members' services (`SUBGRAPH_TLS_*`), as at the gateway. */
  memberTls?: SubgraphClientTls;
}

/** Settings of the standalone member router (`npm run router`); documented in docs/configuration.md and docs/routing.md. */
export function readRouterConfig(source: NodeJS.ProcessEnv = process.env): RouterConfig {
  const values = readEnv(
    {
      HOST: env.host(),
      PORT: env.port(CITY_ROUTER_PORT),
      LOG_LEVEL: env.logLevel(),
      METRICS_TOKEN: env.metricsToken(),
      SUBGRAPH_TIMEOUT_MS: env.positiveInt(3_000),
      ROUTER_KEY_FILE: z.string().min(1).optional(),
      GATEWAY_KEY_FILE: z.string().min(1).optional(),
    },
    source,
  );
  return {
    host: values.HOST,
    port: values.PORT,
    logLevel: values.LOG_LEVEL,
    metricsToken: values.METRICS_TOKEN,
    membersFile: registryPath(source),
    timeoutMs: values.SUBGRAPH_TIMEOUT_MS,
    callerKeys: readGatewayKeySource(source),
    signingKeyFile: values.ROUTER_KEY_FILE ?? values.GATEWAY_KEY_FILE ?? defaultKeyFile('gateway'),
    usedCredentials: readUsedCredentialSettings(source),
    server: readSubgraphServerSettings(source),
    memberTls: readSubgraphClientTls(source),
  };
}
