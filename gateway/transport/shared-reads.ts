import type { SubgraphAnswer } from './deadline';

/**
 * Identical reads in flight at the same moment: same subgraph, same viewer (user, roles, city and language, as
 * `sharingKey` names them, whichever of its credentials carries them), same operation and variables. The dashboard's
 * readers ask the same questions at once; the subgraph answers each such question once and every waiting request
 * gets the same answer, parsed into objects of its own.
 */
const readsInFlight = new Map<string, Promise<SubgraphAnswer>>();

/**
 * Only reads are shared: a body that does not start as a query does (a mutation, or anything unforeseen) goes
 * out on its own. RemoteGraphQLDataSource writes the query first.
 */
const READ_BODY = /^\{"query":"(?:query\b|\{)/;

export function isSharableRead(body: string | undefined): body is string {
  return body !== undefined && READ_BODY.test(body);
}

/** The answer of an identical read in flight (`viewer` as the credential signer names it), or of `send` started now. */
export function sharedRead(url: string, viewer: string, body: string, send: () => Promise<SubgraphAnswer>): Promise<SubgraphAnswer> {
  const key = `${url}\u0000${viewer}\u0000${body}`;
  let shared = readsInFlight.get(key);
  if (!shared) {
    shared = send().finally(() => readsInFlight.delete(key));
    readsInFlight.set(key, shared);
  }
  return shared;
}

/** A write was committed (or may have been): reads from now on must not join a call that may have read before it. */
export function endSharedReads(): void {
  readsInFlight.clear();
}
