import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from './logger';
import { errorExtensions, isCode } from './error-codes';

/** Connection-level failures (server down, unreachable, shutting down): the database is unavailable, not broken. */
const UNAVAILABLE_NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE']);
const UNAVAILABLE_SQLSTATE_CLASSES = ['08', '57', '53'];
/** The server ended a connection whose transaction sat idle too long: its service froze or was cut off, and may retry. */
const IDLE_IN_TRANSACTION_TIMEOUT = '25P03';

export function isDatabaseUnavailable(error: unknown): boolean {
  const candidates = [error, (error as { driverError?: unknown })?.driverError];
  return candidates.some((candidate) => {
    if (!candidate || typeof candidate !== 'object') return false;
    const code = (candidate as { code?: unknown }).code;
    const message = String((candidate as { message?: unknown }).message ?? '');
    if (typeof code === 'string' && UNAVAILABLE_NETWORK_CODES.has(code)) return true;
    if (typeof code === 'string' && code.length === 5 && UNAVAILABLE_SQLSTATE_CLASSES.includes(code.slice(0, 2))) return true;
    if (code === IDLE_IN_TRANSACTION_TIMEOUT) return true;
    // "Query read timeout": no answer at all within the time limit (a silent network or a frozen server);
    // "timeout expired": a single connection (not a pool's) that could not be opened in time.
    return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Query read timeout|^timeout expired$/i.test(message);
  });
}

/**
 * Errors the service did not anticipate are logged in full and reach the client as a short message with a
 * stable code, never with internals (SQL, stack traces, host names).
 */
export function formatErrorFor(service: string, logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (code !== undefined && !isCode(code, 'INTERNAL_SERVER_ERROR')) return formatted;
    const original = unwrapResolverError(error);
    if (isDatabaseUnavailable(original)) {
      logger.warn({ err: original, path: formatted.path }, 'database unavailable');
      return {
        message: `The database of ${service} is unavailable.`,
        locations: formatted.locations,
        path: formatted.path,
        extensions: errorExtensions('DATABASE_UNAVAILABLE', { service }),
      };
    }
    logger.error({ err: original, path: formatted.path }, 'unexpected error');
    return {
      message: `Internal error in ${service}; it has been logged.`,
      locations: formatted.locations,
      path: formatted.path,
      extensions: errorExtensions('INTERNAL_SERVER_ERROR', { service }),
    };
  };
}
