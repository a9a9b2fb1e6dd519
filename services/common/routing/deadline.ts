import { request, type Dispatcher } from 'undici';

/** What a call to a subgraph sends: what RemoteGraphQLDataSource hands its fetcher, or the member router sends. */
export interface SubgraphCall {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** A subgraph's answer, read in full. */
export interface SubgraphAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * One call to a subgraph with undici's request API rather than the Fetch API: the same HTTP, without the WHATWG
 * streams and Request/Response objects that made a subgraph call cost the gateway more CPU than the answer itself
 * (docs/performance.md). The time limit covers the whole call, the answer's body included.
 */
export async function sendWithin(url: string, init: SubgraphCall, timeoutMs: number, connections: Dispatcher): Promise<SubgraphAnswer> {
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
