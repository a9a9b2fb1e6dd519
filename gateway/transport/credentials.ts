import type { CredentialAudience, GatewayCredentialSigner } from '../../services/common/auth/gateway-credential';
import { holdsWrite, type GraphQLOperation } from '../../services/common/auth/operation-binding';
import type { Viewer } from '../../services/common/auth/viewer';

/**
 * The credential a call to a subgraph carries: the gateway's, with the user's identity; the subgraph decides what it
 * may see. A read reuses the viewer's credential for this subgraph; a write gets one of its own, bound to exactly this
 * operation and these variables (what RemoteGraphQLDataSource sends next) and good once.
 */
export function credentialForCall(
  credentials: GatewayCredentialSigner,
  viewer: Viewer,
  audience: CredentialAudience,
  request: GraphQLOperation,
): Promise<string> {
  return holdsWrite(request.query) ? credentials.writeCredentialFor(viewer, audience, request) : credentials.credentialFor(viewer, audience);
}

/**
 * Who shares answers to reads in flight: the viewer the signer knows the read credential of. A credential the signer
 * does not know as a reusable read credential shares with no one but itself.
 */
export function sharingViewer(credentials: GatewayCredentialSigner, authorization: string): string {
  return credentials.viewerOf(authorization.slice('Bearer '.length)) ?? authorization;
}
