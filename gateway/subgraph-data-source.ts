import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayCredentialSigner } from '../services/common/auth/gateway-credential';
import { ANONYMOUS } from '../services/common/auth/viewer';
import type { Logger } from '../services/common/logger';
import type { GatewayContext } from './context';
import { describeFailure, neverDelivered, unavailableError, type SubgraphIdentity } from './subgraph-availability';

/**
 * Calls one subgraph over HTTP, with a time limit for the whole call. Any failure to get an answer (refused,
 * unreachable, too slow, HTTP error) becomes one `CITY_UNAVAILABLE` error naming the city.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource {
  constructor(
    private readonly subgraph: SubgraphIdentity,
    url: string,
    private readonly timeoutMs: number,
    private readonly credentials: GatewayCredentialSigner,
    private readonly logger: Logger,
  ) {
    super({
      url,
      // Cities send no cache hints; what the gateway may cache is decided in one place (gateway/response-cache.ts).
      honorSubgraphCacheControlHeader: false,
      // Node's fetch keeps connections to each subgraph alive; it never retries, so a timeout stays a timeout.
      fetcher: ((input: string, init: RequestInit) =>
        fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) })) as unknown as RemoteGraphQLDataSource['fetcher'],
    });
  }

  /** Every call carries the gateway's credential with the user's identity; the subgraph decides what it may see. */
  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<Partial<GatewayContext>>): Promise<void> {
    const viewer = context.viewer ?? ANONYMOUS;
    request.http!.headers.set('authorization', `Bearer ${await this.credentials.credentialFor(viewer, this.subgraph.name)}`);
  }

  override didEncounterError(error: Error, _request: unknown, _response: unknown, context: Partial<GatewayContext>): never {
    const reasons = describeFailure(error, this.timeoutMs);
    this.logger.warn({ subgraph: this.subgraph.name, reason: reasons.en, err: error }, 'subgraph call failed');
    throw unavailableError(this.subgraph, reasons, context?.viewer?.locale, neverDelivered(error) ? { delivered: false } : {});
  }
}
