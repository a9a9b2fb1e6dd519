import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, SignJWT, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { GATEWAY_ISSUER } from './issuers';
import { HUB_ALGORITHM, readPublicKeys, type SigningKey } from './keys';
import { operationDigest, type GraphQLOperation } from './operation-binding';
import { VerifiedTokens } from './verified-tokens';
import { viewerFromClaims, viewerToClaims, type Viewer, type ViewerClaims } from './viewer';

/**
 * The gateway's credential towards the subgraphs: a short-lived token, signed by the gateway and addressed to
 * one subgraph, that carries the verified user's identity. Subgraphs accept nothing else, so calling one
 * directly gets nothing; and a token for Duisburg's subgraph cannot be replayed to Bochum's.
 *
 * A read credential may be used again while it lives, for reads only: whoever captures one learns for at most its
 * lifetime what that user may read of that subgraph. A write credential is made for one request: it carries a
 * unique id (`jti`) and the digest of the operation and variables it was signed for (`operation_sha256`); the
 * subgraph refuses it for any other operation and a second time (docs/security.md).
 */
export const CREDENTIAL_MAX_LIFETIME_SECONDS = 30;
/** Read credentials are reused while they have this long left (so for up to 20 s), so that signing does not sit on every read. */
const REUSE_MARGIN_SECONDS = 10;
/** The claim of a write credential that names the operation it was signed for (operation-binding.ts). */
export const OPERATION_DIGEST_CLAIM = 'operation_sha256';
/** How far ahead of a subgraph's clock the gateway's may run before its credentials count as living too long. */
const CLOCK_SKEW_SECONDS = 5;
/** Signed read credentials kept for reuse; past this many, the gateway starts over (a new one costs one signature). */
const MAX_REUSABLE_CREDENTIALS = 10_000;

/**
 * Whom a credential is addressed to (`aud`): one subgraph or member, or the members behind one regional hub that a
 * call carries parts for (each of them accepts it; no one else does).
 */
export type CredentialAudience = string | readonly string[];

export class GatewayCredentialSigner {
  private readonly reusable = new Map<string, { token: string; expiresAt: number }>();
  /** Which viewer each reusable credential speaks for (`sharingKey`), for the sharing of reads in flight. */
  private readonly viewers = new Map<string, string>();

  constructor(
    private readonly key: SigningKey,
    private readonly now: () => number = () => Date.now() / 1000,
  ) {}

  /** A credential for reads: reused for the same viewer and audience while it has more than 10 s to live. */
  async credentialFor(viewer: Viewer, subgraph: CredentialAudience): Promise<string> {
    const claims = viewerToClaims(viewer);
    const cacheKey = `${typeof subgraph === 'string' ? subgraph : subgraph.join(',')}\u0000${JSON.stringify(claims)}`;
    const now = Math.floor(this.now());
    const cached = this.reusable.get(cacheKey);
    if (cached && cached.expiresAt - now > REUSE_MARGIN_SECONDS) return cached.token;
    const expiresAt = now + CREDENTIAL_MAX_LIFETIME_SECONDS;
    const token = await this.sign(claims, subgraph, now, expiresAt);
    if (this.reusable.size >= MAX_REUSABLE_CREDENTIALS) {
      this.reusable.clear();
      this.viewers.clear();
    }
    if (cached) this.viewers.delete(cached.token);
    this.reusable.set(cacheKey, { token, expiresAt });
    this.viewers.set(token, sharingKey(viewer));
    return token;
  }

  /** A credential for one write: good for this operation with these variables, once, for 30 s. Never reused. */
  async writeCredentialFor(viewer: Viewer, subgraph: CredentialAudience, operation: GraphQLOperation): Promise<string> {
    const now = Math.floor(this.now());
    return this.sign(viewerToClaims(viewer), subgraph, now, now + CREDENTIAL_MAX_LIFETIME_SECONDS, {
      jti: randomUUID(),
      [OPERATION_DIGEST_CLAIM]: operationDigest(operation),
    });
  }

  /**
   * The viewer a read credential from `credentialFor` speaks for, as `sharingKey` writes it: the same for the
   * credential that replaces it, so that renewing a credential does not split the reads that share a call.
   * Undefined for anything else (a write credential, or one forgotten since).
   */
  viewerOf(credential: string): string | undefined {
    return this.viewers.get(credential);
  }

  private sign(claims: ViewerClaims, subgraph: CredentialAudience, issuedAt: number, expiresAt: number, extra: Record<string, string> = {}): Promise<string> {
    return new SignJWT({ name: claims.name, roles: claims.roles, city: claims.city, locale: claims.locale, ...extra })
      .setProtectedHeader({ alg: HUB_ALGORITHM, kid: this.key.kid })
      .setIssuer(GATEWAY_ISSUER)
      .setAudience(typeof subgraph === 'string' ? subgraph : [...subgraph])
      .setSubject(claims.sub)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .sign(this.key.privateKey);
  }
}

/**
 * Everything a subgraph decides what to answer by: who (the subject, so that no answer is shared across users), the
 * roles, the city of an `hr` role, the language of messages.
 */
export function sharingKey(viewer: Viewer): string {
  return JSON.stringify([viewer.subject, [...viewer.roles].sort(), viewer.city, viewer.locale]);
}

export type GatewayKeySource = { file: string } | { jwksUrl: string };

/**
 * Whom a verifier accepts credentials for: a subgraph's name, or (a member router, services/router) any audience the
 * predicate accepts, since it stands in for the city subgraph (`city`) and for each member it routes to.
 */
export type AcceptedAudience = string | ((audience: string) => boolean);

/** What a subgraph knows once it has checked a credential. */
export interface VerifiedCredential {
  viewer: Viewer;
  /** The audience the credential was addressed to (`aud`), the first the verifier accepts. */
  audience: string;
  /** All its audiences the verifier accepts (a hub's members a call was addressed to, for a member router). */
  audiences: readonly string[];
  /** Seconds since the epoch (`exp`). */
  expiresAt: number;
  /** Present on a write credential: its one-time id and the digest of the one operation it is good for. */
  write?: { id: string; operationDigest: string };
}

/** Why a credential was refused, as `extensions.reason` says it. */
export class CredentialRefused extends Error {
  override name = 'CredentialRefused';
  constructor(
    readonly reason: 'gateway-credential-invalid' | 'gateway-credential-lifetime',
    message: string,
  ) {
    super(message);
  }
}

/**
 * The gateway reuses a read credential for up to 20 s, so a subgraph sees the same few tokens again and again. A
 * token's signature is checked once; until it expires the same string means the same viewer. (A key withdrawn from
 * the gateway's JWKS is thus trusted for at most one credential lifetime longer.) Write credentials are used once and
 * not remembered here.
 */
const MAX_REMEMBERED_CREDENTIALS = 1_000;

export class GatewayCredentialVerifier {
  private readonly keys: JWTVerifyGetKey;
  private readonly verified = new VerifiedTokens<VerifiedCredential>(MAX_REMEMBERED_CREDENTIALS);

  constructor(
    source: GatewayKeySource,
    private readonly accepted: AcceptedAudience,
  ) {
    this.keys = 'file' in source ? createLocalJWKSet(readPublicKeys(source.file)) : createRemoteJWKSet(new URL(source.jwksUrl));
  }

  /**
   * What the gateway vouches for; throws when the credential is missing, forged, expired, for another subgraph, or
   * made to live longer than 30 s.
   */
  async verify(token: string): Promise<VerifiedCredential> {
    const known = this.verified.get(token);
    if (known) return known;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        issuer: GATEWAY_ISSUER,
        ...(typeof this.accepted === 'string' ? { audience: this.accepted } : {}),
        algorithms: [HUB_ALGORITHM],
        requiredClaims: ['iat', 'exp', 'sub', 'aud'],
      }));
    } catch (error) {
      throw new CredentialRefused('gateway-credential-invalid', (error as Error).message);
    }
    const audiences = this.acceptedAudiences(payload.aud);
    const audience = audiences[0];
    if (audience === undefined) throw new CredentialRefused('gateway-credential-invalid', 'unexpected "aud" claim value');
    const { iat, exp } = payload as { iat: number; exp: number };
    // Also from now: a credential issued "in the future" would otherwise outlive its 30 s by as much.
    if (exp - iat > CREDENTIAL_MAX_LIFETIME_SECONDS || exp - Date.now() / 1000 > CREDENTIAL_MAX_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS) {
      throw new CredentialRefused('gateway-credential-lifetime', `a credential may live ${CREDENTIAL_MAX_LIFETIME_SECONDS} s at most from when it was issued`);
    }
    const digest = payload[OPERATION_DIGEST_CLAIM];
    if (digest !== undefined && (typeof digest !== 'string' || typeof payload.jti !== 'string' || payload.jti.length === 0)) {
      throw new CredentialRefused('gateway-credential-invalid', `a write credential needs a string ${OPERATION_DIGEST_CLAIM} and a jti`);
    }
    const credential: VerifiedCredential = Object.freeze({
      viewer: Object.freeze(viewerFromClaims(payload as Partial<ViewerClaims>)),
      audience,
      audiences: Object.freeze(audiences),
      expiresAt: exp,
      ...(typeof digest === 'string' ? { write: { id: payload.jti!, operationDigest: digest } } : {}),
    });
    if (!credential.write) this.verified.remember(token, credential, exp);
    return credential;
  }

  /** The credential's audiences that this verifier accepts. */
  private acceptedAudiences(aud: JWTPayload['aud']): string[] {
    const audiences = typeof aud === 'string' ? [aud] : (aud ?? []);
    const accepts = typeof this.accepted === 'string' ? (audience: string) => audience === this.accepted : this.accepted;
    return audiences.filter(accepts);
  }
}
