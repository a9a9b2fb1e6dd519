// Shared with the standalone member router (services/router), which must not import the gateway.
export { sendWithin, type SubgraphAnswer, type SubgraphCall } from '../../services/common/routing/deadline';
