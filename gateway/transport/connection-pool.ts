// Shared with the standalone member router (services/router), which must not import the gateway.
export { SUBGRAPH_CONNECTIONS, subgraphConnections } from '../../services/common/routing/connection-pool';
