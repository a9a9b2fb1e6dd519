import type { Registry } from '../services/common/registry';
import { CITY_ROUTER_PORT, CITY_SUBGRAPH } from '../services/common/routing/city-subgraph';

/** The standalone member router's service in docker-compose.yml (profile `router`), the city subgraph of Apollo Router. */
export const MEMBER_ROUTER_HOST = 'member-router';

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

/**
 * The subgraphs of the supergraph as Apollo Router calls them in docker-compose.yml: the forum, and the city subgraph
 * at the standalone member router, which routes each municipality's part to `city-<id>` (docs/routing.md).
 */
export function composeRouterSubgraphAddresses(registry: Registry): Array<{ name: string; url: string }> {
  return [
    { name: 'forum', url: `https://forum:${registry.forum.port}/graphql` },
    { name: CITY_SUBGRAPH, url: `https://${MEMBER_ROUTER_HOST}:${CITY_ROUTER_PORT}/graphql` },
  ];
}
