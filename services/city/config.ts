import { readGatewayKeySource } from '../common/auth/auth-config';
import { readUsedCredentialSettings, type UsedCredentialSettings } from '../common/auth/used-credentials';
import { z } from 'zod';
import { env, readEnv } from '../common/config';
import { readDatabaseSettings, type DatabaseSettings } from '../common/database-config';
import { readSubgraphServerSettings, type SubgraphServerSettings } from '../common/tls';
import { MEMBERSHIP_FACTS_PATH } from '../common/membership-facts';
import type { Member, Registry } from '../common/registry';
import { IMPORT_JOB_SILENCE_MS } from '../domain/import-jobs';

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
  /** How long a running import job may be silent before it reads FAILED (`IMPORT_JOB_SILENCE_MS`). */
  importJobSilenceMs: number;
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
      IMPORT_JOB_SILENCE_MS: env.positiveInt(IMPORT_JOB_SILENCE_MS),
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
    importJobSilenceMs: values.IMPORT_JOB_SILENCE_MS,
  };
}

/** Where and how often a city asks the forum for its effective membership (services/city/membership.ts). */
export interface MembershipSettings {
  /** The forum's membership route, e.g. `http://forum:4001/membership`; the city's id is appended. */
  factsUrl: string;
  /** How long an answer is used before the forum is asked again (`MEMBERSHIP_REFRESH_MS`). */
  refreshMs: number;
  /** How long a submission waits for the forum's answer before it goes on with the last one (`MEMBERSHIP_TIMEOUT_MS`). */
  timeoutMs: number;
}

/**
 * `FORUM_MEMBERSHIP_URL`, else the forum's GraphQL address `SUBGRAPH_URL_FORUM` with `/membership` in place of
 * `/graphql`, else the forum's port on this machine from the registry.
 */
export function readMembershipSettings(registry: Registry, source: NodeJS.ProcessEnv = process.env): MembershipSettings {
  const values = readEnv(
    {
      FORUM_MEMBERSHIP_URL: z.url({ protocol: /^https?$/ }).optional(),
      SUBGRAPH_URL_FORUM: z.url({ protocol: /^https?$/ }).optional(),
      MEMBERSHIP_REFRESH_MS: env.positiveInt(3_000),
      MEMBERSHIP_TIMEOUT_MS: env.positiveInt(1_000),
    },
    source,
  );
  const fromGraphqlUrl = values.SUBGRAPH_URL_FORUM && new URL(MEMBERSHIP_FACTS_PATH, values.SUBGRAPH_URL_FORUM).toString();
  return {
    factsUrl: values.FORUM_MEMBERSHIP_URL ?? fromGraphqlUrl ?? `http://localhost:${registry.forum.port}${MEMBERSHIP_FACTS_PATH}`,
    refreshMs: values.MEMBERSHIP_REFRESH_MS,
    timeoutMs: values.MEMBERSHIP_TIMEOUT_MS,
  };
}
