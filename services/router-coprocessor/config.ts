import { env, readEnv } from '../common/config';
import { subgraphLimits } from '../common/limits';

/** Where the coprocessor listens unless PORT says otherwise; schema/router.yaml points the router here. */
export const DEFAULT_COPROCESSOR_PORT = 4090;
/** The path the router posts its coprocessor requests to. */
export const COPROCESSOR_PATH = '/coprocessor';
/** The public key the credentials are signed with, as the gateway serves it: subgraphs may use it as GATEWAY_JWKS_URL. */
export const GATEWAY_JWKS_PATH = '/.well-known/jwks.json';
/** The public key of the hub's own user tokens (embedded default only): the router's JWT check reads it. */
export const USER_JWKS_PATH = '/.well-known/user-jwks.json';

export interface CoprocessorConfig {
  host: string;
  port: number;
  logLevel: string;
  /** Largest coprocessor request accepted: as large as a subgraph request may be, should the router send bodies. */
  requestBodyBytes: number;
}

/**
 * Settings of the router's coprocessor (`npm run router-coprocessor`); documented in docs/configuration.md. User
 * tokens are checked with the gateway's AUTH_* settings and credentials signed with its GATEWAY_KEY_FILE, which
 * services/common/auth/auth-config.ts reads.
 */
export function readCoprocessorConfig(source: NodeJS.ProcessEnv = process.env): CoprocessorConfig {
  const values = readEnv({ HOST: env.host(), PORT: env.port(DEFAULT_COPROCESSOR_PORT), LOG_LEVEL: env.logLevel() }, source);
  return { host: values.HOST, port: values.PORT, logLevel: values.LOG_LEVEL, requestBodyBytes: subgraphLimits(source).requestBodyBytes };
}
