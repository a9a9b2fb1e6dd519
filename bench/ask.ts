/** An operation the benchmark sends, by name. */
export interface Operation {
  name: string;
  query: string;
  variables: Record<string, unknown>;
}

/** What a gateway answered, and whether its response cache answered it (below). */
export interface Answer {
  data: unknown;
  fromResponseCache: boolean;
}

/**
 * Sends one operation; anything but a complete answer without errors throws. An answer from a response cache is
 * recognised by what each gateway says of it: ours (Apollo's response cache) sends an `age` header with it, Hive
 * Gateway (bench/peer/hive-gateway.ts turns its cache's metadata on) `extensions.responseCache.hit`.
 */
export async function askGateway(url: string, operation: Operation): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    // Uncompressed, as servers and scripts ask: Hive Gateway does not compress by default, and the benchmark
    // client shares the machine's cores, so gzip on our side would be paid twice. Browsers get gzip (level 1).
    headers: { 'content-type': 'application/json', 'accept-language': 'de', 'accept-encoding': 'identity' },
    body: JSON.stringify({ query: operation.query, variables: operation.variables }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: unknown[]; extensions?: { responseCache?: { hit?: boolean } } };
  if (!response.ok || body.errors || !body.data) throw new Error(`${url} answered ${operation.name} with ${response.status}: ${JSON.stringify(body.errors ?? body)}`);
  return { data: body.data, fromResponseCache: response.headers.has('age') || body.extensions?.responseCache?.hit === true };
}

/** The data of a complete answer without errors (askGateway). */
export async function ask(url: string, operation: Operation): Promise<unknown> {
  return (await askGateway(url, operation)).data;
}
