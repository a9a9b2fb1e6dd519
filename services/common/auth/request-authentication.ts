import type { Request } from 'express';
import { Unauthenticated, Unavailable } from '../http-service';
import { CredentialRefused, GatewayCredentialVerifier, type AcceptedAudience, type GatewayKeySource, type VerifiedCredential } from './gateway-credential';
import { loadOrCreateSigningKey } from './keys';
import { holdsWrite, operationDigest, type GraphQLOperation } from './operation-binding';
import { InProcessUsedCredentials, UsedCredentialsUnavailable, type UsedCredentials } from './used-credentials';
import { TokenRefused, type UserTokenVerifier } from './user-tokens';
import { ANONYMOUS, localeFrom, type Viewer } from './viewer';

function bearerToken(request: Request): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) {
    throw new Unauthenticated(
      { de: 'Das Token gehört in den Header "Authorization: Bearer <Token>".', en: 'Send the token as "Authorization: Bearer <token>".' },
      'malformed',
    );
  }
  return match[1];
}

/** At the gateway: a user's token, or none (anonymous). A token that is present but not valid is refused. */
export function userAuthentication(verifier: UserTokenVerifier) {
  return async (request: Request): Promise<Viewer> => {
    const locale = localeFrom(request.headers['accept-language']);
    const token = bearerToken(request);
    if (token === undefined) return { ...ANONYMOUS, locale };
    try {
      return await verifier.verify(token, locale);
    } catch (error) {
      if (!(error instanceof TokenRefused)) throw error;
      throw new Unauthenticated({ de: `Token abgelehnt: ${germanReason[error.reason]}.`, en: `Token refused: ${error.message}.` }, error.reason);
    }
  };
}

const germanReason: Record<TokenRefused['reason'], string> = {
  expired: 'es ist abgelaufen',
  signature: 'es ist nicht mit einem Schlüssel signiert, dem dieser Hub vertraut',
  audience: 'es ist für einen anderen Empfänger bestimmt',
  issuer: 'es stammt von einem Aussteller, dem dieser Hub nicht vertraut',
  malformed: 'es ist nicht lesbar',
  claims: 'seine Angaben sind nicht zulässig',
};

export interface GatewayAuthentication {
  /** Who the gateway's credential names; throws `Unauthenticated` to refuse the request before its body is read. */
  authenticate: (request: Request) => Promise<Viewer>;
  /**
   * Once the body is parsed and before anything runs: a write needs a write credential, signed for this operation and
   * these variables, and used for the first time. Throws `Unauthenticated`, or `Unavailable` when the memory of used
   * credentials cannot be asked.
   */
  authorizeOperation: (request: Request) => Promise<void>;
  /** The audiences of the request's credential that were accepted, once `authenticate` accepted it. */
  audiencesOf: (request: Request) => readonly string[] | undefined;
}

/**
 * At a subgraph: only the gateway's credential, addressed to this subgraph, is accepted; a write credential once.
 * A member router (services/router) accepts several audiences: `subgraph` is then a predicate.
 */
export async function gatewayAuthentication(
  subgraph: AcceptedAudience,
  source: GatewayKeySource & { createIfMissing: boolean },
  usedCredentials: UsedCredentials = new InProcessUsedCredentials(),
): Promise<GatewayAuthentication> {
  if ('file' in source && source.createIfMissing) await loadOrCreateSigningKey(source.file);
  const verifier = new GatewayCredentialVerifier(source, subgraph);
  const credentials = new WeakMap<Request, VerifiedCredential>();

  const authenticate = async (request: Request): Promise<Viewer> => {
    const token = bearerToken(request);
    if (token === undefined) {
      throw new Unauthenticated(
        { de: 'Dieser Dienst antwortet nur dem Gateway; bitte die Anfrage an das Gateway richten.', en: 'This service answers the gateway only; send the request to the gateway.' },
        'gateway-credential-missing',
      );
    }
    let credential: VerifiedCredential;
    try {
      credential = await verifier.verify(token);
    } catch (error) {
      if (error instanceof CredentialRefused && error.reason === 'gateway-credential-lifetime') {
        throw new Unauthenticated(
          { de: 'Der Nachweis des Gateways gilt länger als 30 Sekunden und wird deshalb abgelehnt.', en: 'The gateway credential is valid for longer than 30 seconds, and is refused.' },
          error.reason,
        );
      }
      throw new Unauthenticated({ de: 'Der Nachweis des Gateways ist ungültig.', en: 'The gateway credential is not valid.' }, 'gateway-credential-invalid');
    }
    credentials.set(request, credential);
    return credential.viewer;
  };

  const authorizeOperation = async (request: Request): Promise<void> => {
    const credential = credentials.get(request);
    if (!credential) throw new Error('authorizeOperation runs after authenticate');
    const operations = operationsOf(request);
    if (credential.write) {
      // The binding first: a body changed on the way must not use up the credential of the request it came from.
      if (operations.length !== 1 || operationDigest(operations[0]!) !== credential.write.operationDigest) {
        throw new Unauthenticated(
          {
            de: 'Der Nachweis des Gateways wurde für eine andere Operation ausgestellt.',
            en: 'The gateway credential was issued for another operation.',
          },
          'gateway-credential-other-operation',
          { subject: credential.viewer.subject, credential: credential.write.id },
        );
      }
      let first: boolean;
      try {
        first = await usedCredentials.firstUse(credential.write.id, credential.expiresAt);
      } catch (error) {
        if (!(error instanceof UsedCredentialsUnavailable)) throw error;
        throw new Unavailable(
          {
            de: 'Schreibzugriffe sind gerade nicht möglich: das Gedächtnis verwendeter Nachweise (Redis) ist nicht erreichbar. Es wurde nichts gespeichert.',
            en: 'Writes are not possible right now: the memory of used credentials (Redis) is unreachable. Nothing was written.',
          },
          'used-credentials-unavailable',
          { cause: error.message },
        );
      }
      if (!first) {
        throw new Unauthenticated(
          { de: 'Dieser Nachweis des Gateways wurde bereits verwendet.', en: 'This gateway credential has already been used.' },
          'gateway-credential-replayed',
          { subject: credential.viewer.subject, credential: credential.write.id },
        );
      }
      return;
    }
    if (operations.some((operation) => holdsWrite(operation.query))) {
      throw new Unauthenticated(
        { de: 'Dieser Nachweis des Gateways erlaubt nur Lesezugriffe.', en: 'This gateway credential is for reads only.' },
        'gateway-credential-read-only',
        { subject: credential.viewer.subject },
      );
    }
  };

  return { authenticate, authorizeOperation, audiencesOf: (request) => credentials.get(request)?.audiences };
}

/**
 * The operations a request asks to run: the JSON body of a POST (an array if batched), or the query string of a GET.
 * Apollo Server runs nothing else: persisted queries are off on the subgraphs (a hash names no text to check here).
 */
function operationsOf(request: Request): GraphQLOperation[] {
  if (request.method !== 'POST') return [{ query: (request.query as Record<string, unknown> | undefined)?.query }];
  const body: unknown = request.body;
  const items = Array.isArray(body) ? body : [body];
  return items.map((item) => (item !== null && typeof item === 'object' ? (item as GraphQLOperation) : {}));
}
