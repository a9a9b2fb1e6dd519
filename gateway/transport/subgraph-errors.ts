import {
  CITY_UNAVAILABLE,
  describeFailure,
  identifySubgraph,
  neverReached,
  SUBGRAPH_UNAVAILABLE,
  unavailableError,
  type KnownDownTimes,
  type SubgraphIdentity,
  type WriteOutcome,
} from '../../services/common/subgraph-errors';
import { SubgraphKnownDown } from './breaker-policy';

// Shared with the standalone member router (services/router), which must not import the gateway.
export { CITY_UNAVAILABLE, SUBGRAPH_UNAVAILABLE, describeFailure, identifySubgraph, unavailableError, type KnownDownTimes, type SubgraphIdentity, type WriteOutcome };

/** Failures in which the request provably never reached the service, or was never sent (its breaker was open). */
export function neverDelivered(error: unknown): boolean {
  return error instanceof SubgraphKnownDown || neverReached(error);
}
