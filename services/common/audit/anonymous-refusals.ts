import { MemoryStore, type Options } from 'express-rate-limit';
import type { GraphQLError } from 'graphql';
import { isAnonymous, type Viewer } from '../auth/viewer';
import type { Logger } from '../logger';
import { localizedError } from '../messages';

const MINUTE_MS = 60_000;
const KEY = 'anonymous';

/**
 * Bounds the audit rows that callers without a token can make a service write: every write needs a role, so each of
 * their attempts is refused, and each refusal is a permanent row. Up to `perMinute` of them per minute (a fixed
 * window, counted in this process) are refused as always and written to the audit log; beyond that the write is not
 * executed, not audited, and answered `RATE_LIMITED` before the database is touched: a failure, not a refusal, so
 * no refusal is ever answered without its row. Signed-in callers are never bounded here: their refusals name a
 * person, and the gateway's per-user rate limit bounds them.
 */
export class AnonymousRefusals {
  private readonly counts = new MemoryStore();

  constructor(
    private readonly perMinute: number,
    private readonly service: string,
    private readonly logger: Logger,
  ) {
    // The store reads only the window from the options of the middleware it was made for.
    this.counts.init({ windowMs: MINUTE_MS } as Options);
  }

  /** Throws `RATE_LIMITED` when this anonymous refusal would exceed the bound; otherwise it may be audited. */
  async admit(viewer: Viewer): Promise<void> {
    if (!isAnonymous(viewer)) return;
    const { totalHits, resetTime } = await this.counts.increment(KEY);
    if (totalHits <= this.perMinute) return;
    if (totalHits === this.perMinute + 1) {
      this.logger.warn({ perMinute: this.perMinute }, 'anonymous write attempts over the audited bound: answered RATE_LIMITED, not audited, until the minute is over');
    }
    throw this.limited(viewer, resetTime);
  }

  private limited(viewer: Viewer, resetTime: Date | undefined): GraphQLError {
    const retryAfterSeconds = Math.max(1, Math.ceil(((resetTime?.getTime() ?? Date.now() + MINUTE_MS) - Date.now()) / 1000));
    return localizedError(
      viewer.locale,
      {
        de: `Zu viele Schreibversuche ohne Anmeldung bei ${this.service}; nichts wurde ausgeführt. Schreiben braucht ein Token; frühestens in ${retryAfterSeconds} s wieder.`,
        en: `Too many write attempts without signing in at ${this.service}; nothing was done. Writing needs a token; again in ${retryAfterSeconds} s at the earliest.`,
      },
      { code: 'RATE_LIMITED', retryAfterSeconds },
    );
  }
}
