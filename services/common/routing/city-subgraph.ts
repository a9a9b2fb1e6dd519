/** The supergraph's name of the one city subgraph, which a router serves for every member (docs/routing.md). */
export const CITY_SUBGRAPH = 'city';

/**
 * Where the supergraph says the city subgraph is: the standalone member router (`npm run router`), which any
 * Federation v2 gateway can use as the city subgraph's address. Our own gateway routes in-process by the directory.
 */
export const CITY_ROUTER_PORT = 4100;
