/**
 * The benchmark's peer: Hive Gateway (The Guild's federation gateway) serving the same supergraph over the same
 * subgraphs as our gateway, started by `npm run bench` as a process of its own. It is given what the subgraphs
 * demand of any gateway (a credential signed with the gateway key, addressed to each subgraph) and otherwise its
 * defaults, plus its response cache when asked for one. Not part of the product: Hive Gateway is a dev dependency.
 *
 * Environment: PORT, SUPERGRAPH_FILE, GATEWAY_KEY_FILE, SUBGRAPH_URL_FORUM and SUBGRAPH_URL_CITY (the standalone member
 * router, which routes the city subgraph by key),
 * RESPONSE_CACHE_TTL_MS (0: no response cache).
 */
import './cache-control-parser-shim';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import InMemoryLRUCache from '@graphql-mesh/cache-inmemory-lru';
import { GatewayCredentialSigner } from '../../services/common/auth/gateway-credential';
import { loadOrCreateSigningKey } from '../../services/common/auth/keys';
import { ANONYMOUS } from '../../services/common/auth/viewer';
import { readSubgraphSettings } from '../../gateway/config';
import { supergraphSubgraphs } from '../../gateway/supergraph';

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
  const port = Number(process.env.PORT);
  const supergraph = withSubgraphUrls(readFileSync(process.env.SUPERGRAPH_FILE!, 'utf8'), process.env);
  const signer = new GatewayCredentialSigner(await loadOrCreateSigningKey(process.env.GATEWAY_KEY_FILE!));
  const cacheTtlMs = Number(process.env.RESPONSE_CACHE_TTL_MS ?? 0);

  const gateway = createGatewayRuntime({
    supergraph: () => supergraph,
    logging: 'error',
    landingPage: false,
    propagateHeaders: {
      // The benchmark reads anonymously, as the dashboard's readers do.
      fromClientToSubgraphs: async ({ subgraphName }) => ({ authorization: `Bearer ${await signer.credentialFor(ANONYMOUS, subgraphName)}` }),
    },
    // Shared by all callers (session null): the benchmark's requests are all anonymous.
    // Hive Gateway's command line gives its response cache an in-memory LRU store too.
    ...(cacheTtlMs > 0 ? { cache: new InMemoryLRUCache(), responseCaching: { session: () => null, ttl: cacheTtlMs } } : {}),
  });
  const server = createServer(gateway);
  server.keepAliveTimeout = 65_000;
  server.listen(port, '127.0.0.1', () => process.stdout.write(`hive gateway listening on ${port}\n`));
  const stop = () => server.close(() => void Promise.resolve(gateway.dispose()).then(() => process.exit(0)));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
