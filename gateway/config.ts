import { z } from 'zod';
import { ConfigError, env, readEnv } from '../services/common/config';
import { fromProjectRoot } from '../services/common/project-root';
import { readSubgraphClientTls, type SubgraphClientTls } from '../services/common/tls';
import type { ResponseCacheSettings } from './plugins/use-response-cache';
import type { SharedStateSettings } from './shared-state/redis-connection';

export interface SubgraphSettings {
  /** Replaces the address the supergraph names (`SUBGRAPH_URL_<NAME>`). */
  url?: string;
  /** How long one call to the subgraph may take before its figures count as unavailable. */
  timeoutMs: number;
}

/** When the gateway stops calling a subgraph that is down (gateway/transport/circuit-breaker.ts). */
export interface BreakerSettings {
  /** Consecutive calls that found the subgraph unavailable before the gateway stops calling it; 0: never stops. */
  failures: number;
  /** How long it then answers for the subgraph without calling it, before one call tries again; 0: never stops. */
  cooldownMs: number;
}

export interface GatewayConfig {
  host: string;
  port: number;
  supergraphFile: string;
  subgraphTimeoutMs: number;
  logLevel: string;
  metricsToken?: string;
  /** The built dashboard and workbench; absent: the gateway serves the API only. */
  dashboardDir: string;
  /**
   * How the dashboard signs in (OpenID Connect, authorization code with PKCE): its client id, and the issuer as the
   * browser reaches it (default: AUTH_ISSUER). Used only when the hub trusts an identity provider.
   */
  dashboardSignIn: { clientId: string; issuer?: string };
  /** From what age (seconds) the dashboard says that an answer it shows came from the cache, and how old it is. */
  dashboardAgeNoticeSeconds: number;
  responseCache: ResponseCacheSettings;
  /** Identical questions in flight at once wait for the first one's answer (`SHARE_ANSWERS_IN_FLIGHT`, plugins/use-shared-answers.ts). */
  shareAnswersInFlight: boolean;
  breaker: BreakerSettings;
  /** Mutual TLS towards subgraphs at https addresses (`SUBGRAPH_TLS_*`); absent: Node's defaults, no client certificate. */
  subgraphTls?: SubgraphClientTls;
  /**
   * The Redis the replicas share their response cache, its generation and their rate-limit counts in (`REDIS_URL`,
   * `REDIS_KEY_PREFIX`); absent: each gateway keeps them in its own memory.
   */
  sharedState?: SharedStateSettings;
}

/** How long a whole answer is served from the response cache, and a partial one (a city missing), by default. */
export const RESPONSE_CACHE_DEFAULTS = { ttlMs: 30_000, partialTtlMs: 5_000 } as const;

const PER_SUBGRAPH = /^SUBGRAPH_(URL|TIMEOUT_MS)_([A-Z0-9_]+)$/;

/** Settings of the gateway; documented in docs/configuration.md. */
export function readGatewayConfig(source: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const values = readEnv(
    {
      HOST: env.host(),
      PORT: env.port(4000),
      SUPERGRAPH_FILE: z.string().min(1).default(fromProjectRoot('schema', 'supergraph.graphql')),
      SUBGRAPH_TIMEOUT_MS: env.positiveInt(3_000),
      LOG_LEVEL: env.logLevel(),
      METRICS_TOKEN: env.metricsToken(),
      DASHBOARD_DIR: z.string().min(1).default(fromProjectRoot('dist', 'dashboard')),
      RESPONSE_CACHE_TTL_MS: z.coerce.number().int().min(0).default(RESPONSE_CACHE_DEFAULTS.ttlMs),
      RESPONSE_CACHE_PARTIAL_TTL_MS: z.coerce.number().int().min(0).default(RESPONSE_CACHE_DEFAULTS.partialTtlMs),
      RESPONSE_CACHE_MAX_MB: env.positiveInt(64),
      SHARE_ANSWERS_IN_FLIGHT: env.boolean(true),
      DASHBOARD_OIDC_CLIENT_ID: z.string().min(1).default('dashboard'),
      DASHBOARD_OIDC_ISSUER: z.url().optional(),
      DASHBOARD_AGE_NOTICE_SECONDS: env.positiveInt(60),
      SUBGRAPH_BREAKER_FAILURES: z.coerce.number().int().min(0).default(3),
      SUBGRAPH_BREAKER_COOLDOWN_MS: z.coerce.number().int().min(0).default(5_000),
      REDIS_URL: env.redisUrl(),
      REDIS_KEY_PREFIX: env.redisKeyPrefix(),
    },
    source,
  );
  return {
    host: values.HOST,
    port: values.PORT,
    supergraphFile: values.SUPERGRAPH_FILE,
    subgraphTimeoutMs: values.SUBGRAPH_TIMEOUT_MS,
    logLevel: values.LOG_LEVEL,
    metricsToken: values.METRICS_TOKEN,
    dashboardDir: values.DASHBOARD_DIR,
    dashboardSignIn: { clientId: values.DASHBOARD_OIDC_CLIENT_ID, issuer: values.DASHBOARD_OIDC_ISSUER },
    dashboardAgeNoticeSeconds: values.DASHBOARD_AGE_NOTICE_SECONDS,
    responseCache: {
      ttlMs: values.RESPONSE_CACHE_TTL_MS,
      // Never longer than a complete answer is kept: an answer missing a city is not worth more than one with all.
      partialTtlMs: Math.min(values.RESPONSE_CACHE_PARTIAL_TTL_MS, values.RESPONSE_CACHE_TTL_MS),
      maxBytes: values.RESPONSE_CACHE_MAX_MB * 1024 * 1024,
    },
    shareAnswersInFlight: values.SHARE_ANSWERS_IN_FLIGHT,
    breaker: { failures: values.SUBGRAPH_BREAKER_FAILURES, cooldownMs: values.SUBGRAPH_BREAKER_COOLDOWN_MS },
    subgraphTls: readSubgraphClientTls(source),
    sharedState: values.REDIS_URL ? { redisUrl: values.REDIS_URL, keyPrefix: values.REDIS_KEY_PREFIX } : undefined,
  };
}

/**
 * Per-subgraph settings (`SUBGRAPH_URL_<NAME>`, `SUBGRAPH_TIMEOUT_MS_<NAME>`). A variable naming no subgraph of
 * the supergraph stops start-up: a typo must not silently leave a city on its default address.
 */
export function readSubgraphSettings(
  subgraphNames: readonly string[],
  defaultTimeoutMs: number,
  source: NodeJS.ProcessEnv = process.env,
): (name: string) => SubgraphSettings {
  const known = new Map(subgraphNames.map((name) => [name.toUpperCase(), name]));
  const overrides = new Map<string, { url?: string; timeoutMs?: number }>();
  const problems: string[] = [];
  for (const [variable, value] of Object.entries(source)) {
    const match = PER_SUBGRAPH.exec(variable);
    if (!match || value === undefined) continue;
    const [, setting, suffix] = match as unknown as [string, 'URL' | 'TIMEOUT_MS', string];
    const name = known.get(suffix);
    if (!name) {
      problems.push(`  ${variable}: names no subgraph; known: ${[...known.keys()].join(', ')}`);
      continue;
    }
    const entry = overrides.get(name) ?? {};
    if (setting === 'URL') {
      if (!z.url({ protocol: /^https?$/ }).safeParse(value).success) problems.push(`  ${variable}=${JSON.stringify(value)}: expected an http(s) URL`);
      entry.url = value;
    } else {
      const timeout = Number(value);
      if (!Number.isInteger(timeout) || timeout <= 0) problems.push(`  ${variable}=${JSON.stringify(value)}: expected milliseconds > 0`);
      entry.timeoutMs = timeout;
    }
    overrides.set(name, entry);
  }
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n${problems.join('\n')}`);

  return (name) => ({ url: overrides.get(name)?.url, timeoutMs: overrides.get(name)?.timeoutMs ?? defaultTimeoutMs });
}
