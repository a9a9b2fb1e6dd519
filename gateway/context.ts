import type { Viewer } from '../services/common/auth/viewer';

/** Per-request context of the gateway: the user the token names (or anonymous). */
export interface GatewayContext {
  viewer: Viewer;
  /**
   * Set on the operations the gateway runs itself before its port opens (warm-up.ts): their calls say nothing about
   * a city's availability to readers (cities just started are slow at first), so no circuit breaker counts them.
   */
  warmingUp?: true;
}
