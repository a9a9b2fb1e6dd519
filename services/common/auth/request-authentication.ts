import type { Request } from 'express';
import { Unauthenticated } from '../http-service';
import { GatewayCredentialVerifier, type GatewayKeySource } from './gateway-credential';
import { loadOrCreateSigningKey } from './keys';
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

/** At a subgraph: only the gateway's credential, addressed to this subgraph, is accepted. */
export async function gatewayAuthentication(subgraph: string, source: GatewayKeySource & { createIfMissing: boolean }) {
  if ('file' in source && source.createIfMissing) await loadOrCreateSigningKey(source.file);
  const verifier = new GatewayCredentialVerifier(source, subgraph);
  return async (request: Request): Promise<Viewer> => {
    const token = bearerToken(request);
    if (token === undefined) {
      throw new Unauthenticated(
        { de: 'Dieser Dienst antwortet nur dem Gateway; bitte die Anfrage an das Gateway richten.', en: 'This service answers the gateway only; send the request to the gateway.' },
        'gateway-credential-missing',
      );
    }
    try {
      return await verifier.verify(token);
    } catch {
      throw new Unauthenticated({ de: 'Der Nachweis des Gateways ist ungültig.', en: 'The gateway credential is not valid.' }, 'gateway-credential-invalid');
    }
  };
}
