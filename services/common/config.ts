import { z } from 'zod';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads one process's settings from the environment. A bad or missing value stops start-up with a message
 * naming the variable, instead of surfacing later as a confusing runtime failure.
 */
export function readEnv<Shape extends z.ZodRawShape>(
  shape: Shape,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<z.ZodObject<Shape>> {
  const result = z.object(shape).safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const variable = String(issue.path[0]);
      const value = env[variable];
      return `  ${variable}${value === undefined ? '' : `=${JSON.stringify(value)}`}: ${issue.message}`;
    });
    throw new ConfigError(`invalid configuration:\n${problems.join('\n')}`);
  }
  return result.data;
}

export const env = {
  port: (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback),
  host: () => z.string().min(1).default('127.0.0.1'),
  boolean: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'])
      .default(fallback ? 'true' : 'false')
      .transform((value) => value === 'true' || value === '1' || value === 'yes'),
  positiveInt: (fallback: number) => z.coerce.number().int().positive().default(fallback),
  logLevel: () => z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Bearer token for `/metrics`; unset: `/metrics` is not served. */
  metricsToken: () => z.string().min(16, 'at least 16 characters').optional(),
  /** A Redis server (`REDIS_URL`); unset: each process keeps what it would share there to itself. */
  redisUrl: () => z.url({ protocol: /^rediss?$/, error: 'expected a Redis URL such as redis://redis:6379 (or rediss:// with TLS)' }).optional(),
  /** Start of every key the hub writes to Redis (`REDIS_KEY_PREFIX`), so that several hubs can share one server. */
  redisKeyPrefix: () => z.string().min(1).default('integration-forum-hub:'),
  postgresUrl: () =>
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'expected a PostgreSQL URL such as postgres://user@127.0.0.1:5432/database'),
};

/** A URL without its password, for logs. */
export function withoutPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
