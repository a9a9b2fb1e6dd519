import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { Agent, request, type Dispatcher } from 'undici';
import type { GatewayCredentialSigner } from '../services/common/auth/gateway-credential';
import { holdsWrite } from '../services/common/auth/operation-binding';
import { ANONYMOUS, type Role, type Viewer } from '../services/common/auth/viewer';
import type { SubgraphClientTls } from '../services/common/tls';
import type { Logger } from '../services/common/logger';
import { WRITE_COMMITTED_HEADER } from '../services/common/write-receipt';
import type { GatewayContext } from './context';
import type { CacheGeneration } from './plugins/use-response-cache';
import { describeFailure, neverDelivered, unavailableError, type SubgraphIdentity } from './subgraph-availability';

/**
 * Calls one subgraph over HTTP, with a time limit for the whole call. Any failure to get an answer (refused,
 * unreachable, too slow, HTTP error) becomes one `CITY_UNAVAILABLE` error naming the city. A write the subgraph
 * committed ends the sharing of reads in flight and starts a new generation of the response cache; nothing else does.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource {
  constructor(
    private readonly subgraph: SubgraphIdentity,
    url: string,
    private readonly timeoutMs: number,
    private readonly credentials: GatewayCredentialSigner,
    private readonly logger: Logger,
    private readonly generation: CacheGeneration,
    connections: Dispatcher = SUBGRAPH_CONNECTIONS,
  ) {
    super({
      url,
      // Cities send no cache hints; what the gateway may cache is decided in one place (gateway/plugins/use-response-cache.ts).
      honorSubgraphCacheControlHeader: false,
      fetcher: ((input: string, init: { method?: string; headers?: Record<string, string>; body?: string }) =>
        callSubgraph(input, init, timeoutMs, credentials, connections, () => afterCommittedWrite(generation))) as unknown as RemoteGraphQLDataSource['fetcher'],
    });
  }

  /**
   * Every call carries the gateway's credential with the user's identity; the subgraph decides what it may see. A
   * read reuses the viewer's credential for this subgraph; a write gets one of its own, bound to exactly this
   * operation and these variables (what RemoteGraphQLDataSource sends next) and good once.
   */
  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<Partial<GatewayContext>>): Promise<void> {
    const viewer = context.viewer ?? ANONYMOUS;
    const credential = holdsWrite(request.query)
      ? await this.credentials.writeCredentialFor(viewer, this.subgraph.name, request)
      : await this.credentials.credentialFor(viewer, this.subgraph.name);
    request.http!.headers.set('authorization', `Bearer ${credential}`);
  }

  override didEncounterError(error: Error, _fetchRequest: unknown, _response: unknown, context: Partial<GatewayContext>, request?: { query?: string }): never {
    // A write whose answer was lost on the way may have been committed all the same. Only a viewer who can write
    // somewhere (the cities' HR teams, administrators) can have committed one; anyone else's lost write cannot end
    // the sharing or the cache, or a flood of anonymous writes to a slow city would empty them for everyone.
    if (request?.query !== undefined && holdsWrite(request.query) && !neverDelivered(error) && mayWrite(context.viewer ?? ANONYMOUS)) {
      afterCommittedWrite(this.generation);
    }
    const reasons = describeFailure(error, this.timeoutMs);
    this.logger.warn({ subgraph: this.subgraph.name, reason: reasons.en, err: error }, 'subgraph call failed');
    throw unavailableError(this.subgraph, reasons, context?.viewer?.locale, neverDelivered(error) ? { delivered: false } : {});
  }
}

/**
 * How long an idle connection to a subgraph is kept for the next call: less than the subgraphs keep theirs open
 * (SERVER_KEEP_ALIVE_MS), whatever they announce, so that the gateway never sends a call on a connection the
 * subgraph has closed meanwhile, which would fail with a reset instead of an answer.
 */
const SUBGRAPH_KEEP_ALIVE_MS = 30_000;

/**
 * Keeps connections to every subgraph open between calls and never retries, so that a timeout stays a timeout.
 * One pool for all subgraphs: each origin gets its own connections inside it. With `tls`, connections to subgraphs
 * at https addresses present the gateway's client certificate and check theirs against the hub's CA.
 */
export function subgraphConnections(tls?: SubgraphClientTls): Agent {
  return new Agent({ keepAliveTimeout: SUBGRAPH_KEEP_ALIVE_MS, keepAliveMaxTimeout: SUBGRAPH_KEEP_ALIVE_MS, ...(tls ? { connect: tls } : {}) });
}
const SUBGRAPH_CONNECTIONS = subgraphConnections();

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

interface SubgraphAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

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

/** The roles that can commit a write anywhere in the hub: a city's `hr` (its figures), `admin` (the forum's). */
const WRITING_ROLES: readonly Role[] = ['hr', 'admin'];

function mayWrite(viewer: Viewer): boolean {
  return WRITING_ROLES.some((role) => viewer.roles.has(role));
}

/**
 * A write was committed (or may have been): a read that arrives from now on must neither join a call that may have
 * read the figures as they were, nor be answered from a cache filled before.
 */
function afterCommittedWrite(generation: CacheGeneration): void {
  readsInFlight.clear();
  generation.advance();
}

/**
 * One call to a subgraph with undici's request API rather than the Fetch API: the same HTTP, without the WHATWG
 * streams and Request/Response objects that made a subgraph call cost the gateway more CPU than the answer itself
 * (docs/performance.md). The time limit covers the whole call, the answer's body included.
 */
async function callSubgraph(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string },
  timeoutMs: number,
  credentials: GatewayCredentialSigner,
  connections: Dispatcher,
  onWriteCommitted: () => void,
): Promise<SubgraphResponse> {
  let answer: SubgraphAnswer;
  if (init.body !== undefined && READ_BODY.test(init.body)) {
    const authorization = init.headers?.authorization ?? '';
    // A credential the signer does not know as a reusable read credential shares with no one but itself.
    const viewer = credentials.viewerOf(authorization.slice('Bearer '.length)) ?? authorization;
    const key = `${url}\u0000${viewer}\u0000${init.body}`;
    let shared = readsInFlight.get(key);
    if (!shared) {
      shared = send(url, init, timeoutMs, connections).finally(() => readsInFlight.delete(key));
      readsInFlight.set(key, shared);
    }
    answer = await shared;
  } else {
    answer = await send(url, init, timeoutMs, connections);
    // Only the subgraph knows whether it wrote: a refused or replayed write leaves sharing and cache alone, so that
    // refused writes, which anyone can send, change nothing for the readers.
    if (answer.headers[WRITE_COMMITTED_HEADER] === '1') onWriteCommitted();
  }
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

async function send(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string },
  timeoutMs: number,
  connections: Dispatcher,
): Promise<SubgraphAnswer> {
  // Not AbortSignal.timeout: its timer outlives the call and fires for every call made, answered or not.
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError')), timeoutMs);
  try {
    const response = await request(url, {
      method: (init.method ?? 'POST') as Dispatcher.HttpMethod,
      headers: init.headers,
      body: init.body,
      signal: deadline.signal,
      dispatcher: connections,
    });
    return { status: response.statusCode, headers: response.headers, text: await response.body.text() };
  } finally {
    clearTimeout(timer);
  }
}
