import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Dispatcher } from 'undici';
import type { CredentialAudience, GatewayCredentialSigner } from '../../services/common/auth/gateway-credential';
import { holdsWrite } from '../../services/common/auth/operation-binding';
import { ANONYMOUS, type Role, type Viewer } from '../../services/common/auth/viewer';
import type { Logger } from '../../services/common/logger';
import { WRITE_COMMITTED_HEADER, WRITE_JOB_ACCEPTED_HEADER } from '../../services/common/write-receipt';
import type { GatewayContext } from '../context';
import type { CacheGeneration } from '../shared-state/cache-generation';
import { SUBGRAPH_CONNECTIONS } from './connection-pool';
import { credentialForCall, sharingViewer } from './credentials';
import { sendWithin, type SubgraphAnswer, type SubgraphCall } from './deadline';
import { endSharedReads, isSharableRead, sharedRead } from './shared-reads';
import { knownDownReasons, SubgraphKnownDown } from './breaker-policy';
import type { SubgraphBreaker } from './circuit-breaker';
import { describeFailure, neverDelivered, unavailableError, type SubgraphIdentity } from './subgraph-errors';
import { CALL_AUDIENCE, type AddressedRequest } from './municipality-router';
import { acceptedJobsIn, committedJobsIn, type WriteJobs } from './write-jobs';

/**
 * Calls one subgraph over HTTP, with a time limit for the whole call (deadline.ts), on the gateway's pool of
 * connections (connection-pool.ts), with the credential signed for the call (credentials.ts), sharing identical
 * reads in flight (shared-reads.ts), not at all while its circuit breaker says it is down (circuit-breaker.ts). Any failure to get an answer (refused, unreachable, too slow, HTTP error)
 * becomes one `CITY_UNAVAILABLE` error naming the city (subgraph-errors.ts). A write the subgraph committed ends the
 * sharing of reads in flight and starts a new generation of the response cache; so does a write job it accepted
 * (a city's figure import), once it committed, which this gateway follows until it ends (write-jobs.ts).
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource {
  /** Whom its credentials are addressed to unless a call names its members (CALL_AUDIENCE): the subgraph, or a hub's members. */
  private readonly audience: CredentialAudience;

  constructor(
    private readonly subgraph: SubgraphIdentity & { audience?: CredentialAudience },
    url: string,
    private readonly timeoutMs: number,
    private readonly credentials: GatewayCredentialSigner,
    private readonly logger: Logger,
    private readonly generation: CacheGeneration,
    breaker: SubgraphBreaker,
    private readonly writeJobs: WriteJobs,
    connections: Dispatcher = SUBGRAPH_CONNECTIONS,
  ) {
    super({
      url,
      // Cities send no cache hints; what the gateway may cache is decided in one place (gateway/plugins/use-response-cache.ts).
      honorSubgraphCacheControlHeader: false,
      fetcher: ((input: string, init: SubgraphCall) =>
        callSubgraph(input, init, timeoutMs, credentials, connections, breaker, () => afterCommittedWrite(generation), writeJobs)) as unknown as RemoteGraphQLDataSource['fetcher'],
    });
    this.audience = subgraph.audience ?? subgraph.name;
    // While it is known to be down, the breaker asks it this after every cool-down: any answer means it is back.
    breaker.probeWith(async () => {
      const credential = await credentials.credentialFor(ANONYMOUS, this.audience);
      return sendWithin(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}` }, body: PROBE_BODY }, timeoutMs, connections);
    });
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<Partial<GatewayContext>>): Promise<void> {
    const members = (request as AddressedRequest)[CALL_AUDIENCE];
    const audience = members === undefined ? this.audience : members.length === 1 ? members[0]! : members;
    const credential = await credentialForCall(this.credentials, context.viewer ?? ANONYMOUS, audience, request);
    request.http!.headers.set('authorization', `Bearer ${credential}`);
    if (context.warmingUp) request.http!.headers.set(UNCOUNTED_CALL_HEADER, '1');
  }

  /** A write job the city accepted is followed until it ends, as the viewer who started it (write-jobs.ts). */
  override async didReceiveResponse<Result>({ response, context }: { response: Result & { http?: { headers: { get(name: string): string | null } } }; context: Partial<GatewayContext> }): Promise<Result> {
    const accepted = acceptedJobsIn(response.http?.headers.get(WRITE_JOB_ACCEPTED_HEADER));
    if (context.viewer) {
      for (const { city, jobId } of accepted) {
        this.writeJobs.follow(jobId, { url: this.url!, subgraph: this.subgraph.name, city, viewer: context.viewer, timeoutMs: this.timeoutMs });
      }
    }
    return response;
  }

  override didEncounterError(error: Error, _fetchRequest: unknown, _response: unknown, context: Partial<GatewayContext>, request?: { query?: string }): never {
    // A write whose answer was lost on the way may have been committed all the same. Only a viewer who can write
    // somewhere (the cities' HR teams, administrators) can have committed one; anyone else's lost write cannot end
    // the sharing or the cache, or a flood of anonymous writes to a slow city would empty them for everyone.
    if (request?.query !== undefined && holdsWrite(request.query) && !neverDelivered(error) && mayWrite(context.viewer ?? ANONYMOUS)) {
      void afterCommittedWrite(this.generation);
    }
    if (error instanceof SubgraphKnownDown) {
      // Not called at all: one warning per call would flood the log during an outage; the breaker's opening was logged.
      const write = request?.query !== undefined && holdsWrite(request.query);
      throw unavailableError(this.subgraph, knownDownReasons(error, describeFailure(error.lastFailure, this.timeoutMs), write), context?.viewer?.locale, {
        delivered: false,
        knownDown: { since: error.downSince.toISOString(), nextTryAt: error.nextTryAt.toISOString() },
      });
    }
    const reasons = describeFailure(error, this.timeoutMs);
    this.logger.warn({ subgraph: this.subgraph.name, reason: reasons.en, err: error }, 'subgraph call failed');
    throw unavailableError(this.subgraph, reasons, context?.viewer?.locale, neverDelivered(error) ? { delivered: false } : {});
  }
}

/** The cheapest question a subgraph answers: whether it answers at all. */
const PROBE_BODY = JSON.stringify({ query: '{ __typename }' });

/** The part of a Fetch API response that RemoteGraphQLDataSource reads. */
interface SubgraphResponse {
  ok: boolean;
  status: number;
  statusText: string;
  url: string;
  headers: { get(name: string): string | null };
  json(): Promise<unknown>;
  text(): Promise<string>;
}

/**
 * Marks a call the gateway makes for itself (the warm-up), which no circuit breaker counts; the fetcher takes it off
 * before the call leaves, since only the data source's own two halves share it.
 */
const UNCOUNTED_CALL_HEADER = 'x-gateway-uncounted-call';

/** The roles that can commit a write anywhere in the hub: a city's `hr` (its figures), `admin` (the forum's). */
const WRITING_ROLES: readonly Role[] = ['hr', 'admin'];

function mayWrite(viewer: Viewer): boolean {
  return WRITING_ROLES.some((role) => viewer.roles.has(role));
}

/**
 * A write was committed (or may have been): a read that arrives from now on must neither join a call that may have
 * read the figures as they were, nor be answered from a cache filled before, on this replica or any other sharing
 * the generation. Settled once the generation moved (never rejects: a generation in Redis that cannot be reached
 * catches up when it can, gateway/shared-state/cache-generation.ts).
 */
function afterCommittedWrite(generation: CacheGeneration): Promise<void> {
  endSharedReads();
  return generation.advance();
}

/** One call to a subgraph: a read shared with identical reads in flight, anything else on its own. */
async function callSubgraph(
  url: string,
  init: SubgraphCall,
  timeoutMs: number,
  credentials: GatewayCredentialSigner,
  connections: Dispatcher,
  breaker: SubgraphBreaker,
  onWriteCommitted: () => Promise<void>,
  writeJobs: WriteJobs,
): Promise<SubgraphResponse> {
  let answer: SubgraphAnswer;
  const { [UNCOUNTED_CALL_HEADER]: uncounted, ...sentHeaders } = init.headers ?? {};
  const call: SubgraphCall = { ...init, headers: sentHeaders };
  // The breaker sees each call made once: readers sharing a call share its outcome, too.
  const send = () => (uncounted ? sendWithin(url, call, timeoutMs, connections) : breaker.call(() => sendWithin(url, call, timeoutMs, connections)));
  if (isSharableRead(call.body)) {
    const viewer = sharingViewer(credentials, sentHeaders.authorization ?? '');
    answer = await sharedRead(url, viewer, call.body, send);
  } else {
    answer = await send();
    // Only the subgraph knows whether it wrote: a refused or replayed write leaves sharing and cache alone, so that
    // refused writes, which anyone can send, change nothing for the readers.
    // The writer's answer waits for the new generation: whatever the writer asks next, of whichever replica, is fresh.
    if (answer.headers[WRITE_COMMITTED_HEADER] === '1') await onWriteCommitted();
  }
  // A status read that reports a followed job committed waits for the new generation, as the writer's answer does.
  const committedJobs = committedJobsIn(answer.headers);
  if (committedJobs.length > 0) await writeJobs.reportedCommitted(committedJobs);
  const { status, headers, text } = answer;
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: '',
    url,
    headers: {
      get: (name) => {
        const value = headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
      },
    },
    json: async () => JSON.parse(text) as unknown,
    text: async () => text,
  };
}
