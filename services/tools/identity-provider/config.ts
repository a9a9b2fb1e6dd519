import path from 'node:path';
import { z } from 'zod';
import { env, readEnv } from '../../common/config';
import { DEFAULT_AUDIENCE } from '../../common/auth/issuers';
import { fromProjectRoot } from '../../common/project-root';

/** The client id of the dashboard (a public client: authorization code with PKCE). */
export const DASHBOARD_CLIENT_ID = 'dashboard';
/** The resource indicator of the hub's API; access tokens for it name AUTH_AUDIENCE as their audience. */
export const HUB_RESOURCE = 'urn:integration-forum-hub';

export interface IdentityProviderConfig {
  host: string;
  port: number;
  /** The issuer URL, as the gateway's AUTH_ISSUER must name it. */
  issuer: string;
  /** Where the signing keys, cookie keys and demo accounts live. */
  dataDir: string;
  /** Origins the dashboard is served from (the gateway's): its redirect and post-logout URIs. */
  dashboardOrigins: string[];
  audience: string;
  accessTokenSeconds: number;
  logLevel: string;
}

/** Settings of the embedded identity provider (docs/configuration.md). */
export function readIdentityProviderConfig(source: NodeJS.ProcessEnv = process.env): IdentityProviderConfig {
  const values = readEnv(
    {
      HOST: env.host(),
      IDP_PORT: env.port(4010),
      IDP_ISSUER: z.url().optional(),
      IDP_DATA_DIR: z.string().min(1).default(fromProjectRoot('.data', 'identity-provider')),
      IDP_DASHBOARD_ORIGINS: z.string().min(1).default('http://localhost:4000,http://127.0.0.1:4000'),
      AUTH_AUDIENCE: z.string().min(1).default(DEFAULT_AUDIENCE),
      IDP_ACCESS_TOKEN_SECONDS: env.positiveInt(300),
      LOG_LEVEL: env.logLevel(),
    },
    source,
  );
  return {
    host: values.HOST,
    port: values.IDP_PORT,
    issuer: (values.IDP_ISSUER ?? `http://localhost:${values.IDP_PORT}`).replace(/\/$/, ''),
    dataDir: path.resolve(values.IDP_DATA_DIR),
    dashboardOrigins: values.IDP_DASHBOARD_ORIGINS.split(',').map((origin) => new URL(origin.trim()).origin),
    audience: values.AUTH_AUDIENCE,
    accessTokenSeconds: values.IDP_ACCESS_TOKEN_SECONDS,
    logLevel: values.LOG_LEVEL,
  };
}

/** The dashboard's redirect URIs on one origin: where the provider sends the browser back after sign-in and sign-out. */
export function dashboardRedirects(origin: string): { signIn: string; signOut: string } {
  return { signIn: `${origin}/anmeldung`, signOut: `${origin}/` };
}
