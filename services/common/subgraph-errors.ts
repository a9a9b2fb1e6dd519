/**
 * How a hub says that a subgraph did not answer: shared by the gateway (gateway/transport/subgraph-errors.ts) and the
 * standalone member router (services/router), which both call the cities' services.
 */
import type { GraphQLError } from 'graphql';
import { localizedError, type Messages } from './messages';
import type { Registry } from './registry';
import type { ErrorCode, ErrorExtensions } from './error-codes';

export const CITY_UNAVAILABLE = 'CITY_UNAVAILABLE' satisfies ErrorCode;
export const SUBGRAPH_UNAVAILABLE = 'SUBGRAPH_UNAVAILABLE' satisfies ErrorCode;

export interface SubgraphIdentity {
  /** Subgraph name in the supergraph: `forum` or a city id. */
  name: string;
  /** The member city the subgraph serves, if it is a city's. */
  city?: { id: string; name: string };
}

export function identifySubgraph(registry: Registry, name: string): SubgraphIdentity {
  const member = registry.members.find((candidate) => candidate.id === name);
  return member ? { name, city: { id: member.id, name: member.name } } : { name };
}

/**
 * What a client can know about a write whose answer it did not get: `NOT_WRITTEN` when the request provably never
 * reached the city (nothing listened, the address did not resolve); otherwise `UNKNOWN`, and sending it again with
 * the same `idempotencyKey` is safe: a write that did happen is answered as replayed, never written twice.
 */
export type WriteOutcome = 'NOT_WRITTEN' | 'UNKNOWN';

const WRITE_OUTCOME_MESSAGES: Record<WriteOutcome, Messages> = {
  NOT_WRITTEN: { de: 'Es wurde nichts gespeichert.', en: 'Nothing was written.' },
  UNKNOWN: {
    de: 'Ob gespeichert wurde, ist nicht bekannt: bitte mit demselben Idempotenzschlüssel erneut senden; doppelt gespeichert wird nichts.',
    en: 'Whether it was written is not known: send it again with the same idempotency key; nothing is written twice.',
  },
};

/** For a city answered for without calling it (its breaker is open): since when it is down, when it is tried again (ISO). */
export interface KnownDownTimes {
  since: string;
  nextTryAt: string;
}

/**
 * The error a client sees when a subgraph's figures are missing: one per city, with a stable code and the city
 * in `extensions`, so that dashboards can say exactly who is missing while showing everyone else. The message is in
 * the reader's language; `extensions.messages` has both, `extensions.reason` the English reason.
 */
export function unavailableError(
  subgraph: SubgraphIdentity,
  reasons: Messages,
  locale: 'de' | 'en' = 'en',
  details: { delivered?: false; writeOutcome?: WriteOutcome; knownDown?: KnownDownTimes } = {},
): GraphQLError {
  const unavailable: Messages = subgraph.city
    ? { de: `Die Zahlen von ${subgraph.city.name} fehlen: ${reasons.de}.`, en: `The figures of ${subgraph.city.name} are unavailable: ${reasons.en}.` }
    : { de: `Der Dienst ${subgraph.name} ist nicht erreichbar: ${reasons.de}.`, en: `The ${subgraph.name} service is unavailable: ${reasons.en}.` };
  const outcome = details.writeOutcome && WRITE_OUTCOME_MESSAGES[details.writeOutcome];
  const messages: Messages = outcome ? { de: `${unavailable.de} ${outcome.de}`, en: `${unavailable.en} ${outcome.en}` } : unavailable;
  const where: ErrorExtensions = subgraph.city
    ? { code: CITY_UNAVAILABLE, city: subgraph.city.id, cityName: subgraph.city.name, subgraph: subgraph.name }
    : { code: SUBGRAPH_UNAVAILABLE, subgraph: subgraph.name };
  return localizedError(locale, messages, { ...where, reason: reasons.en, reasons, ...details });
}

/** Network failures in which the request provably never reached the service: nothing listened, the address did not resolve. */
export function neverReached(error: unknown): boolean {
  const { code, cause } = (error ?? {}) as { code?: string; cause?: { code?: string } };
  const networkCode = code ?? cause?.code;
  return networkCode === 'ECONNREFUSED' || networkCode === 'ENOTFOUND' || networkCode === 'EAI_AGAIN';
}

/** A short, host-free reason for a failed call: what an operator needs, nothing an attacker can use. */
export function describeFailure(error: unknown, timeoutMs: number): Messages {
  const { name, code, message, status, cause } = (error ?? {}) as { name?: string; code?: string; message?: string; status?: number; cause?: { code?: string } };
  const networkCode = code ?? cause?.code;
  if (name === 'AbortError' || name === 'TimeoutError' || networkCode === 'request-timeout') {
    return { de: `keine Antwort innerhalb von ${timeoutMs} ms`, en: `no answer within ${timeoutMs} ms` };
  }
  if (networkCode === 'ECONNREFUSED') return { de: 'der Dienst läuft nicht (Verbindung abgelehnt)', en: 'the service is not running (connection refused)' };
  if (networkCode === 'ECONNRESET' || networkCode === 'EPIPE' || networkCode === 'UND_ERR_SOCKET') return { de: 'die Verbindung wurde getrennt', en: 'the connection was reset' };
  if (networkCode === 'EHOSTUNREACH' || networkCode === 'ENETUNREACH' || networkCode === 'ETIMEDOUT' || networkCode === 'UND_ERR_CONNECT_TIMEOUT') {
    return { de: 'der Dienst ist nicht erreichbar', en: 'the service is unreachable' };
  }
  if (networkCode === 'ENOTFOUND' || networkCode === 'EAI_AGAIN') return { de: 'die Adresse des Dienstes ist unbekannt', en: 'the service address cannot be resolved' };
  const httpStatus = typeof status === 'number' ? String(status) : /^(\d{3}):/.exec(message ?? '')?.[1];
  if (httpStatus) return { de: `der Dienst antwortete mit HTTP ${httpStatus}`, en: `the service answered HTTP ${httpStatus}` };
  return { de: 'der Aufruf ist fehlgeschlagen', en: 'the call failed' };
}
