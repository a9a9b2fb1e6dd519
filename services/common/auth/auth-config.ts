import { existsSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError, readEnv } from '../config';
import { fromProjectRoot } from '../project-root';
import type { GatewayKeySource } from './gateway-credential';
import { DEFAULT_AUDIENCE, LOCAL_ISSUER } from './issuers';
import type { UserTokenSettings } from './user-tokens';

/** Where the hub keeps the keys it makes itself (embedded default); deployments point at their own. */
export const defaultKeyFile = (name: 'issuer' | 'gateway') => fromProjectRoot('.data', 'keys', `${name}.jwk.json`);

/**
 * How a subgraph recognises the gateway: `GATEWAY_JWKS_URL` (the gateway serves its public key at
 * `/.well-known/jwks.json`) or `GATEWAY_KEY_FILE` (a JWK file; only its public part is used).
 */
export function readGatewayKeySource(source: NodeJS.ProcessEnv = process.env): GatewayKeySource & { createIfMissing: boolean } {
  const values = readEnv({ GATEWAY_JWKS_URL: z.url().optional(), GATEWAY_KEY_FILE: z.string().min(1).optional() }, source);
  if (values.GATEWAY_JWKS_URL) return { jwksUrl: values.GATEWAY_JWKS_URL, createIfMissing: false };
  if (values.GATEWAY_KEY_FILE && !existsSync(values.GATEWAY_KEY_FILE)) {
    throw new ConfigError(`invalid configuration:\n  GATEWAY_KEY_FILE=${JSON.stringify(values.GATEWAY_KEY_FILE)}: no such file`);
  }
  return { file: values.GATEWAY_KEY_FILE ?? defaultKeyFile('gateway'), createIfMissing: values.GATEWAY_KEY_FILE === undefined };
}

export interface AuthConfig {
  users: UserTokenSettings;
  /** Whether the hub signs user tokens itself (no identity provider configured). */
  localIssuer: boolean;
  /** The gateway's own signing key, for its credentials towards the subgraphs. */
  gatewayKeyFile: string;
}

/**
 * Settings of user tokens: checked by the gateway, issued by `npm run token`, `npm run import` and the forum on the
 * embedded default. Documented in docs/configuration.md and docs/security.md.
 */
export function readAuthConfig(source: NodeJS.ProcessEnv = process.env): AuthConfig {
  const values = readEnv(
    {
      AUTH_JWKS_URL: z.url().optional(),
      AUTH_ISSUER: z.string().min(1).optional(),
      AUTH_AUDIENCE: z.string().min(1).default(DEFAULT_AUDIENCE),
      AUTH_LOCAL_KEY_FILE: z.string().min(1).default(defaultKeyFile('issuer')),
      AUTH_ROLES_CLAIM: z.string().min(1).default('roles'),
      AUTH_CITY_CLAIM: z.string().min(1).default('city'),
      GATEWAY_KEY_FILE: z.string().min(1).default(defaultKeyFile('gateway')),
    },
    source,
  );
  if (values.AUTH_JWKS_URL && !values.AUTH_ISSUER) {
    throw new ConfigError('invalid configuration:\n  AUTH_ISSUER: required with AUTH_JWKS_URL (the identity provider\'s issuer, e.g. https://id.example/realms/forum)');
  }
  const localIssuer = values.AUTH_JWKS_URL === undefined;
  return {
    users: {
      issuer: values.AUTH_ISSUER ?? LOCAL_ISSUER,
      audience: values.AUTH_AUDIENCE,
      keys: localIssuer ? { file: values.AUTH_LOCAL_KEY_FILE } : { jwksUrl: values.AUTH_JWKS_URL! },
      rolesClaim: values.AUTH_ROLES_CLAIM,
      cityClaim: values.AUTH_CITY_CLAIM,
    },
    localIssuer,
    gatewayKeyFile: values.GATEWAY_KEY_FILE,
  };
}
