import cors from 'cors';
import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit, type Store } from 'express-rate-limit';
import { isAnonymous, localeFrom, type Viewer } from '../services/common/auth/viewer';
import type { Logger } from '../services/common/logger';
import type { Messages } from '../services/common/messages';
import type { RateLimits } from '../services/common/limits';
import { errorExtensions, type ErrorCode } from '../services/common/error-codes';

export const RATE_LIMITED = 'RATE_LIMITED' satisfies ErrorCode;

/**
 * Counts requests per signed-in user (by the token's subject, wherever they come from) and every other request per
 * client address, so that a municipal office behind one address does not exhaust the limit of the users who sign in.
 * Runs after the token is checked and before a refused token is answered 401 (services/common/http-service.ts):
 * a request counts per user only with a token that was verified, so an invalid, expired or forged token counts
 * against its address like a request without one (401 within the limit, 429 beyond), and never against the user it
 * names.
 *
 * Counts are kept in `store` when one is given (the replicas' shared counts in Redis, gateway/shared-state/), else in
 * this process. A count that fails lets the request pass: a limit that cannot be counted must not refuse everyone.
 */
export function rateLimitPerUserAndAddress(limits: RateLimits, logger: Logger, store?: Store): RequestHandler | undefined {
  if (limits.perAddress === 0 && limits.perUser === 0) return undefined;
  /** The user a verified token names; undefined without a token or with a refused one. */
  const userOf = (response: Response): Viewer | undefined => {
    const viewer = response.locals.viewer as Viewer | undefined;
    return viewer && !isAnonymous(viewer) ? viewer : undefined;
  };
  return rateLimit({
    windowMs: limits.windowMs,
    limit: (_request, response) => (userOf(response) ? limits.perUser : limits.perAddress),
    skip: (_request, response) => (userOf(response) ? limits.perUser : limits.perAddress) === 0,
    keyGenerator: (request, response) => {
      const user = userOf(response);
      return user ? `user:${user.subject}` : `address:${ipKeyGenerator(request.ip ?? 'unknown')}`;
    },
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    ...(store ? { store, passOnStoreError: true, logger: storeFailuresLoggedOnce(logger) } : {}),
    handler: (request: Request, response: Response) => {
      const retryAfterSeconds = Math.max(1, Number(response.getHeader('retry-after') ?? Math.ceil(limits.windowMs / 1000)));
      logger.warn({ subject: userOf(response)?.subject ?? 'anonymous', tokenRefused: response.locals.refusedCredentials !== undefined, address: request.ip }, 'request refused: rate limit');
      const messages: Messages = {
        de: `Zu viele Anfragen; bitte in ${retryAfterSeconds} s erneut versuchen.`,
        en: `Too many requests; try again in ${retryAfterSeconds} s.`,
      };
      const locale = localeFrom(request.headers['accept-language']);
      response.status(429).json({ errors: [{ message: messages[locale], extensions: errorExtensions(RATE_LIMITED, { retryAfterSeconds, messages }) }] });
    },
  });
}

/**
 * express-rate-limit logs every request that passes uncounted; the shared store has logged the outage once already
 * (gateway/shared-state/redis-connection.ts), so those lines go to `debug`. Anything else it reports stays as loud.
 */
function storeFailuresLoggedOnce(logger: Logger): { error: (error: unknown, message?: string) => void; warn: (error: unknown, message?: string) => void } {
  return {
    error: (error, message) => (message?.includes('error from store') ? logger.debug({ err: error }, message) : logger.error({ err: error }, message ?? 'rate limiter error')),
    warn: (error, message) => logger.warn({ err: error }, message ?? 'rate limiter warning'),
  };
}

/**
 * Cross-origin calls only from the listed origins. The dashboard is served by the gateway itself (same origin) and
 * needs none; without a list no CORS header is sent and browsers keep other sites' pages out.
 */
export function corsAllowList(origins: readonly string[]): RequestHandler | undefined {
  if (origins.length === 0) return undefined;
  return cors({
    origin: [...origins],
    methods: ['GET', 'POST'],
    allowedHeaders: ['content-type', 'authorization', 'accept-language', 'apollo-require-preflight', 'x-apollo-operation-name'],
    maxAge: 600,
  });
}
