import { Agent } from 'undici';
import type { SubgraphClientTls } from '../tls';

/**
 * How long an idle connection to a subgraph is kept for the next call: less than the subgraphs keep theirs open
 * (SERVER_KEEP_ALIVE_MS), whatever they announce, so that the gateway never sends a call on a connection the
 * subgraph has closed meanwhile, which would fail with a reset instead of an answer.
 */
const SUBGRAPH_KEEP_ALIVE_MS = 30_000;

/**
 * Keeps connections to every subgraph open between calls and never retries, so that a timeout stays a timeout (the
 * gateway's calls, and the member router's to the cities' services). One pool for all subgraphs: each origin gets its
 * own connections inside it. With `tls`, connections to subgraphs at https addresses present the caller's client
 * certificate and check theirs against the hub's CA.
 */
export function subgraphConnections(tls?: SubgraphClientTls): Agent {
  return new Agent({ keepAliveTimeout: SUBGRAPH_KEEP_ALIVE_MS, keepAliveMaxTimeout: SUBGRAPH_KEEP_ALIVE_MS, ...(tls ? { connect: tls } : {}) });
}

/** The pool of a data source that is given none: plain connections, no client certificate. */
export const SUBGRAPH_CONNECTIONS = subgraphConnections();
