/** Issuer of the user tokens the hub signs itself when no identity provider is configured. */
export const LOCAL_ISSUER = 'integration-forum-hub/local';
/** Audience every user token must name unless AUTH_AUDIENCE says otherwise. */
export const DEFAULT_AUDIENCE = 'integration-forum-hub';
/** Issuer of the gateway's credentials towards the subgraphs. */
export const GATEWAY_ISSUER = 'integration-forum-hub/gateway';
