import { GraphQLError } from 'graphql';
import type { Registry } from '../services/common/registry';

export const CITY_UNAVAILABLE = 'CITY_UNAVAILABLE';
export const SUBGRAPH_UNAVAILABLE = 'SUBGRAPH_UNAVAILABLE';

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
 * The error a client sees when a subgraph's figures are missing: one per city, with a stable code and the city
 * in `extensions`, so that dashboards can say exactly who is missing while showing everyone else.
 */
export function unavailableError(subgraph: SubgraphIdentity, reason: string): GraphQLError {
  if (subgraph.city) {
    return new GraphQLError(`The figures of ${subgraph.city.name} are unavailable: ${reason}.`, {
      extensions: { code: CITY_UNAVAILABLE, city: subgraph.city.id, cityName: subgraph.city.name, subgraph: subgraph.name, reason },
    });
  }
  return new GraphQLError(`The ${subgraph.name} service is unavailable: ${reason}.`, {
    extensions: { code: SUBGRAPH_UNAVAILABLE, subgraph: subgraph.name, reason },
  });
}

/** A short, host-free reason for a failed call: what an operator needs, nothing an attacker can use. */
export function describeFailure(error: unknown, timeoutMs: number): string {
  const { name, code, message, status } = (error ?? {}) as { name?: string; code?: string; message?: string; status?: number };
  if (name === 'AbortError' || name === 'TimeoutError' || code === 'request-timeout') return `no answer within ${timeoutMs} ms`;
  if (code === 'ECONNREFUSED') return 'the service is not running (connection refused)';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'the connection was reset';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'ETIMEDOUT') return 'the service is unreachable';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the service address cannot be resolved';
  if (typeof status === 'number') return `the service answered HTTP ${status}`;
  const statusInMessage = /^(\d{3}):/.exec(message ?? '');
  if (statusInMessage) return `the service answered HTTP ${statusInMessage[1]}`;
  return 'the call failed';
}
