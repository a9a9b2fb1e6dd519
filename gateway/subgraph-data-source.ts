import { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { Logger } from '../services/common/logger';
import { describeFailure, unavailableError, type SubgraphIdentity } from './subgraph-availability';

/**
 * Calls one subgraph over HTTP, with a time limit for the whole call. Any failure to get an answer (refused,
 * unreachable, too slow, HTTP error) becomes one `CITY_UNAVAILABLE` error naming the city.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource {
  constructor(
    private readonly subgraph: SubgraphIdentity,
    url: string,
    private readonly timeoutMs: number,
    private readonly logger: Logger,
  ) {
    super({
      url,
      // Node's fetch keeps connections to each subgraph alive; it never retries, so a timeout stays a timeout.
      fetcher: ((input: string, init: RequestInit) =>
        fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) })) as unknown as RemoteGraphQLDataSource['fetcher'],
    });
  }

  override didEncounterError(error: Error): never {
    const reason = describeFailure(error, this.timeoutMs);
    this.logger.warn({ subgraph: this.subgraph.name, reason, err: error }, 'subgraph call failed');
    throw unavailableError(this.subgraph, reason);
  }
}
