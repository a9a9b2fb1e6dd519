import type { Registry } from '../services/common/registry';

/**
 * Where each subgraph of the supergraph runs inside the docker-compose network: the forum as `forum`, each city as
 * `city-<id>`, on its registry port, over mutual TLS (their certificates from `npm run certs` name these hosts). The
 * gateway and the router are pointed at the same addresses.
 */
export function composeSubgraphAddresses(registry: Registry): Array<{ name: string; url: string }> {
  return [
    { name: 'forum', url: `https://forum:${registry.forum.port}/graphql` },
    ...registry.members.map((member) => ({ name: member.id, url: `https://city-${member.id}:${member.port}/graphql` })),
  ];
}
