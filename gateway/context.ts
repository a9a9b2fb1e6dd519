import type { Viewer } from '../services/common/auth/viewer';

/** Per-request context of the gateway: the user the token names (or anonymous). */
export interface GatewayContext {
  viewer: Viewer;
}
