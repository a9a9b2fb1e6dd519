import { isDatabaseUnavailable } from './errors';
import type { Logger } from './logger';

/**
 * Services may start before their database does (compose, a restarting server): keep trying while the database
 * is unavailable, and fail at once on anything else (wrong password, bad migration).
 */
export async function retryUntilAvailable<T>(
  attempt: () => Promise<T>,
  { what, logger, timeoutMs = 60_000, intervalMs = 1_000 }: { what: string; logger: Logger; timeoutMs?: number; intervalMs?: number },
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (!isDatabaseUnavailable(error) || Date.now() + intervalMs > deadline) throw error;
      logger.warn({ err: error }, `${what} is not reachable yet; retrying`);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
