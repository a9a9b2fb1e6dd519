import type { Messages } from '../../services/common/messages';

/**
 * Which outcomes of a call to a subgraph mean "it is unavailable" and count towards opening its circuit breaker
 * (circuit-breaker.ts). Kept apart from cockatiel, which Jest cannot load, so that the rules are unit-tested.
 */

/** Network failures that say nothing is there to answer: refused, reset, unreachable, unresolvable. */
const UNAVAILABLE_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'UND_ERR_SOCKET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** HTTP statuses with which something in front of the subgraph, or the subgraph itself, says it cannot answer now. */
const UNAVAILABLE_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);

/**
 * A call that failed without an answer: counts when nothing answered or nothing answered in time. Anything else (a
 * bug on our side, an answer we could not read) says nothing about whether the subgraph is there.
 */
export function failureMeansUnavailable(error: unknown): boolean {
  const { name, code, cause } = (error ?? {}) as { name?: string; code?: string; cause?: { code?: string } };
  if (name === 'TimeoutError' || name === 'AbortError') return true;
  const networkCode = code ?? cause?.code;
  return networkCode !== undefined && UNAVAILABLE_NETWORK_CODES.has(networkCode);
}

/**
 * An answer counts only when its HTTP status says the subgraph cannot answer (502, 503, 504). GraphQL errors the
 * subgraph answered with, refused writes, bad requests (400) and its own errors (500) mean it is there.
 */
export function answerMeansUnavailable(answer: unknown): boolean {
  const status = (answer as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' && UNAVAILABLE_STATUSES.has(status);
}

/**
 * Thrown instead of calling a subgraph whose breaker is open: the call was not made. `lastFailure` is what the last
 * call that was made met (an error, or an answer with its HTTP status), for the reason the client reads.
 */
export class SubgraphKnownDown extends Error {
  override readonly name = 'SubgraphKnownDown';

  constructor(
    readonly subgraph: string,
    readonly downSince: Date,
    readonly nextTryAt: Date,
    readonly lastFailure: unknown,
  ) {
    super(`${subgraph} is known to be down since ${downSince.toISOString()}; it is tried again from ${nextTryAt.toISOString()}`);
  }
}

/**
 * The reason for a city answered for without calling it: when it was found down, when it is tried again, what the
 * last call met, and for a write that it was not attempted.
 */
export function knownDownReasons(down: SubgraphKnownDown, lastReasons: Messages, write: boolean): Messages {
  const since = down.downSince.toISOString();
  const next = down.nextTryAt.toISOString();
  const reasons: Messages = {
    de: `bekanntermaßen seit ${since} nicht erreichbar (${lastReasons.de}), nächster Versuch ab ${next}`,
    en: `known to be down since ${since} (${lastReasons.en}), tried again from ${next}`,
  };
  return write
    ? { de: `${reasons.de}; die Änderung wurde nicht versucht`, en: `${reasons.en}; the write was not attempted` }
    : reasons;
}
