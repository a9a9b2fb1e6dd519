import { errors as joseErrors, createLocalJWKSet, createRemoteJWKSet, jwtVerify, SignJWT, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { DEFAULT_AUDIENCE, LOCAL_ISSUER } from './issuers';
import { HUB_ALGORITHM, readPublicKeys, type SigningKey } from './keys';
import { isRole, type Role, type Viewer } from './viewer';


export interface UserTokenSettings {
  issuer: string;
  audience: string;
  /** An identity provider's JWKS (e.g. Keycloak's `.../protocol/openid-connect/certs`), or the hub's own key file. */
  keys: { jwksUrl: string } | { file: string };
  /** Where the roles are in the token; a dot path, e.g. `realm_access.roles` for Keycloak realm roles. */
  rolesClaim: string;
  /** Where an `hr` token names its city. */
  cityClaim: string;
}

/** Why a token was refused; the reason is safe to show, the token itself is never echoed. */
export class TokenRefused extends Error {
  override name = 'TokenRefused';
  constructor(readonly reason: 'expired' | 'signature' | 'audience' | 'issuer' | 'malformed' | 'claims', message: string) {
    super(message);
  }
}

function claimAt(payload: JWTPayload, dotPath: string): unknown {
  return dotPath.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), payload);
}

export class UserTokenVerifier {
  private readonly keys: JWTVerifyGetKey;

  constructor(
    private readonly settings: UserTokenSettings,
    private readonly knownCities: Pick<ReadonlySet<string>, 'has'>,
  ) {
    this.keys = 'jwksUrl' in settings.keys ? createRemoteJWKSet(new URL(settings.keys.jwksUrl)) : createLocalJWKSet(readPublicKeys(settings.keys.file));
  }

  async verify(token: string, locale: 'de' | 'en'): Promise<Viewer> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, { issuer: this.settings.issuer, audience: this.settings.audience, requiredClaims: ['exp', 'sub'] }));
    } catch (error) {
      throw refusal(error);
    }
    const declared = claimAt(payload, this.settings.rolesClaim);
    const roles = new Set<Role>((Array.isArray(declared) ? declared : [declared]).filter(isRole));
    const city = claimAt(payload, this.settings.cityClaim);
    if (roles.has('hr') && (typeof city !== 'string' || !this.knownCities.has(city))) {
      throw new TokenRefused('claims', `an hr token must name a member city in its "${this.settings.cityClaim}" claim`);
    }
    const name = [payload.name, payload.preferred_username, payload.sub].find((value) => typeof value === 'string') as string;
    return { subject: payload.sub!, name, roles, city: typeof city === 'string' ? city : null, locale };
  }
}

function refusal(error: unknown): TokenRefused {
  if (error instanceof joseErrors.JWTExpired) return new TokenRefused('expired', 'the token has expired');
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return new TokenRefused('audience', 'the token is meant for another audience');
    if (error.claim === 'iss') return new TokenRefused('issuer', 'the token comes from an issuer this hub does not trust');
    return new TokenRefused('claims', `the token's "${error.claim}" claim is not acceptable`);
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed || error instanceof joseErrors.JWKSNoMatchingKey) {
    return new TokenRefused('signature', 'the token is not signed by a key this hub trusts');
  }
  return new TokenRefused('malformed', 'the token cannot be read');
}

export interface LocalTokenRequest {
  subject: string;
  name?: string;
  roles: Role[];
  city?: string;
  /** e.g. `8h`, `30d` (jose's time span format). */
  expiresIn: string;
  audience?: string;
}

/** A token signed by the hub's own key: for the embedded default, where no identity provider runs. */
export function issueLocalToken(key: SigningKey, request: LocalTokenRequest): Promise<string> {
  return new SignJWT({ roles: request.roles, ...(request.city ? { city: request.city } : {}), ...(request.name ? { name: request.name } : {}) })
    .setProtectedHeader({ alg: HUB_ALGORITHM, kid: key.kid, typ: 'JWT' })
    .setIssuer(LOCAL_ISSUER)
    .setAudience(request.audience ?? DEFAULT_AUDIENCE)
    .setSubject(request.subject)
    .setIssuedAt()
    .setExpirationTime(request.expiresIn)
    .sign(key.privateKey);
}
