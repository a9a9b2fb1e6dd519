/**
 * Hive Gateway (The Guild's federation gateway) serving the same supergraph over the same subgraphs as our gateway,
 * as a process of its own: the peer of `npm run bench`, and the gateway of the OSI-licensed stack in
 * tests/e2e/hive-gateway.test.ts. It is given what the hub demands of any gateway (the user's token checked as our
 * gateway checks it, and a credential signed with the gateway key for each subgraph, naming the viewer) and otherwise
 * its defaults, plus its response cache when asked for one. Not part of the product: Hive Gateway and its Rust query
 * planner are dev dependencies. Logs one JSON line `hive gateway ready` with its URL and planner, as our services do.
 *
 * Environment: PORT, SUPERGRAPH_FILE, GATEWAY_KEY_FILE, SUBGRAPH_URL_FORUM and SUBGRAPH_URL_CITY (the standalone member
 * router, which routes the city subgraph by key),
 * AUTH_* and MEMBERS_FILE (as our gateway reads them), RESPONSE_CACHE_TTL_MS (0: no response cache), HIVE_LOGGING,
 * HIVE_QUERY_PLANNER (hive-query-planner.ts: `default` or `rust`), HIVE_INBOUND_DEDUPLICATION (`true`: identical
 * requests in flight answered once, Hive's own option; the benchmark turns it on).
 */
import './cache-control-parser-shim';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import type { AddressInfo } from 'node:net';
import InMemoryLRUCache from '@graphql-mesh/cache-inmemory-lru';
import { unifiedGraphHandler as rustPlannerHandler } from '@graphql-hive/router-runtime';
import { readAuthConfig } from '../../services/common/auth/auth-config';
import { GatewayCredentialSigner } from '../../services/common/auth/gateway-credential';
import { loadOrCreateSigningKey } from '../../services/common/auth/keys';
import { UserTokenVerifier } from '../../services/common/auth/user-tokens';
import { ANONYMOUS, localeFrom, type Viewer } from '../../services/common/auth/viewer';
import { loadRegistry } from '../../services/common/registry';
import { readSubgraphSettings } from '../../gateway/config';
import { supergraphSubgraphs } from '../../gateway/supergraph';
import { readHiveQueryPlanner } from './hive-query-planner';

/** The supergraph with the addresses `SUBGRAPH_URL_<NAME>` gives, as our gateway applies them. */
function withSubgraphUrls(supergraphSdl: string, source: NodeJS.ProcessEnv): string {
  const subgraphs = supergraphSubgraphs(supergraphSdl);
  // The supergraph's own subgraphs only (forum, city): the members' addresses are the member router's business.
  const own = new Set(subgraphs.map(({ name }) => `SUBGRAPH_URL_${name.toUpperCase()}`));
  const settings = readSubgraphSettings(
    subgraphs.map(({ name }) => name),
    1,
    Object.fromEntries(Object.entries(source).filter(([variable]) => !variable.startsWith('SUBGRAPH_URL_') || own.has(variable))),
  );
  return subgraphs.reduce((sdl, { name, url }) => {
    const address = settings(name).url;
    return address ? sdl.replace(`name: "${name}", url: "${url}"`, `name: "${name}", url: "${address}"`) : sdl;
  }, supergraphSdl);
}

async function main(): Promise<void> {
  const planner = readHiveQueryPlanner(process.env);
  const supergraph = withSubgraphUrls(readFileSync(process.env.SUPERGRAPH_FILE!, 'utf8'), process.env);
  const signer = new GatewayCredentialSigner(await loadOrCreateSigningKey(process.env.GATEWAY_KEY_FILE!));
  const cacheTtlMs = Number(process.env.RESPONSE_CACHE_TTL_MS ?? 0);
  const users = new UserTokenVerifier(readAuthConfig().users, new Set(loadRegistry().members.map((member) => member.id)));

  /** The viewer as our gateway sees it: anonymous without a token; a token that does not verify counts as none here. */
  const viewerOf = async (request: Request): Promise<Viewer> => {
    const locale = localeFrom(request.headers.get('accept-language') ?? undefined);
    const token = /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
    if (!token) return { ...ANONYMOUS, locale };
    return users.verify(token, locale).catch(() => ({ ...ANONYMOUS, locale }));
  };

  const gateway = createGatewayRuntime({
    supergraph: () => supergraph,
    // HIVE_LOGGING=debug shows its query plans and subgraph calls, when a comparison fails.
    logging: (process.env.HIVE_LOGGING as 'debug' | 'info' | 'warn' | 'error' | undefined) ?? 'error',
    landingPage: false,
    // The Rust planner (Hive Router's, as a native addon) plans and executes in place of the default stitching
    // runtime; everything else (headers, cache) stays the same, so the two differ only in their planner.
    ...(planner === 'rust' ? { unifiedGraphHandler: rustPlannerHandler } : {}),
    propagateHeaders: {
      fromClientToSubgraphs: async ({ request, subgraphName }) => ({
        authorization: `Bearer ${await signer.credentialFor(await viewerOf(request), subgraphName)}`,
      }),
    },
    // Identical requests in flight answered once: keyed by every header too, so never across viewers.
    inboundInflightRequestDeduplication: process.env.HIVE_INBOUND_DEDUPLICATION === 'true',
    // Shared by all callers (session null): only the benchmark turns it on, and its requests are all anonymous.
    // Hive Gateway's command line gives its response cache an in-memory LRU store too. Its metadata
    // (extensions.responseCache.hit) lets the benchmark count the answers it gave.
    ...(cacheTtlMs > 0 ? { cache: new InMemoryLRUCache(), responseCaching: { session: () => null, ttl: cacheTtlMs, includeExtensionMetadata: true } } : {}),
  });
  const server = createServer(gateway);
  server.keepAliveTimeout = 65_000;
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    process.stdout.write(`${JSON.stringify({ msg: 'hive gateway ready', url: `http://127.0.0.1:${port}/graphql`, planner })}\n`);
  });
  const stop = () => server.close(() => void Promise.resolve(gateway.dispose()).then(() => process.exit(0)));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
