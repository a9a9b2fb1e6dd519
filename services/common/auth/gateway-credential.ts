import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose';
import { GATEWAY_ISSUER } from './issuers';
import { HUB_ALGORITHM, readPublicKeys, type SigningKey } from './keys';
import { VerifiedTokens } from './verified-tokens';
import { viewerFromClaims, viewerToClaims, type Viewer, type ViewerClaims } from './viewer';

/**
 * The gateway's credential towards the subgraphs: a short-lived token, signed by the gateway and addressed to
 * one subgraph, that carries the verified user's identity. Subgraphs accept nothing else, so calling one
 * directly gets nothing; and a token for Duisburg's subgraph cannot be replayed to Bochum's.
 */
const LIFETIME_SECONDS = 60;
/** Tokens are reused while they have this long left, so that signing does not sit on every request. */
const REUSE_MARGIN_SECONDS = 20;

export class GatewayCredentialSigner {
  private readonly cache = new Map<string, { token: string; expiresAt: number }>();

  constructor(private readonly key: SigningKey) {}

  async credentialFor(viewer: Viewer, subgraph: string): Promise<string> {
    const claims = viewerToClaims(viewer);
    const cacheKey = `${subgraph}\u0000${JSON.stringify(claims)}`;
    const now = Math.floor(Date.now() / 1000);
    const cached = this.cache.get(cacheKey);
    if (cached && cached.expiresAt - now > REUSE_MARGIN_SECONDS) return cached.token;
    const expiresAt = now + LIFETIME_SECONDS;
    const token = await new SignJWT({ name: claims.name, roles: claims.roles, city: claims.city, locale: claims.locale })
      .setProtectedHeader({ alg: HUB_ALGORITHM, kid: this.key.kid })
      .setIssuer(GATEWAY_ISSUER)
      .setAudience(subgraph)
      .setSubject(claims.sub)
      .setIssuedAt(now)
      .setExpirationTime(expiresAt)
      .sign(this.key.privateKey);
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(cacheKey, { token, expiresAt });
    return token;
  }
}

export type GatewayKeySource = { file: string } | { jwksUrl: string };

/**
 * The gateway reuses a credential for most of its minute, so a subgraph sees the same few tokens again and again.
 * A token's signature is checked once; until it expires the same string means the same viewer. (A key withdrawn
 * from the gateway's JWKS is thus trusted for at most one credential lifetime longer.)
 */
const MAX_REMEMBERED_CREDENTIALS = 1_000;

export class GatewayCredentialVerifier {
  private readonly keys: JWTVerifyGetKey;
  private readonly verified = new VerifiedTokens<Viewer>(MAX_REMEMBERED_CREDENTIALS);

  constructor(
    source: GatewayKeySource,
    private readonly subgraph: string,
  ) {
    this.keys = 'file' in source ? createLocalJWKSet(readPublicKeys(source.file)) : createRemoteJWKSet(new URL(source.jwksUrl));
  }

  /** The viewer the gateway vouches for; throws when the credential is missing, forged, expired or for another subgraph. */
  async verify(token: string): Promise<Viewer> {
    const known = this.verified.get(token);
    if (known) return known;
    const { payload } = await jwtVerify(token, this.keys, {
      issuer: GATEWAY_ISSUER,
      audience: this.subgraph,
      algorithms: [HUB_ALGORITHM],
    });
    const viewer = Object.freeze(viewerFromClaims(payload as Partial<ViewerClaims>));
    if (payload.exp !== undefined) this.verified.remember(token, viewer, payload.exp);
    return viewer;
  }
}
