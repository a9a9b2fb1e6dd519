import { existsSync, readFileSync } from 'node:fs';
import { readEnv } from '../../common/config';
import { z } from 'zod';
import type { Role } from '../../common/auth/viewer';
import { accountsFile, type DemoAccount } from '../identity-provider/accounts';
import { HUB_RESOURCE, readIdentityProviderConfig } from '../identity-provider/config';

export interface ScriptClient {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

/**
 * The script client to ask for a token: AUTH_CLIENT_ID and AUTH_CLIENT_SECRET at AUTH_ISSUER (any OpenID Connect
 * provider, e.g. Keycloak's `scripts` client), or else the embedded provider's client of the demo account with
 * these roles and city (from its accounts file under .data/).
 */
export function scriptClientFor(roles: Role[], city: string | undefined, source: NodeJS.ProcessEnv = process.env): ScriptClient {
  const given = readEnv({ AUTH_ISSUER: z.string().min(1).optional(), AUTH_CLIENT_ID: z.string().min(1).optional(), AUTH_CLIENT_SECRET: z.string().min(1).optional() }, source);
  if (given.AUTH_CLIENT_ID && given.AUTH_CLIENT_SECRET) {
    if (!given.AUTH_ISSUER) throw new Error('AUTH_CLIENT_ID needs AUTH_ISSUER (the identity provider that knows the client)');
    return { issuer: given.AUTH_ISSUER, clientId: given.AUTH_CLIENT_ID, clientSecret: given.AUTH_CLIENT_SECRET };
  }
  const provider = readIdentityProviderConfig(source);
  const file = accountsFile(provider.dataDir);
  if (!existsSync(file)) throw new Error(`no demo accounts at ${file}: start the hub (npm start) once, or set AUTH_CLIENT_ID and AUTH_CLIENT_SECRET`);
  const accounts = JSON.parse(readFileSync(file, 'utf8')) as DemoAccount[];
  const wanted = [...roles].sort().join(',');
  const account = accounts.find((candidate) => [...candidate.roles].sort().join(',') === wanted && (candidate.city ?? undefined) === (roles.includes('hr') ? city : undefined));
  if (!account) throw new Error(`no demo account with the roles ${wanted}${city ? ` of ${city}` : ''}; the embedded provider has one per role (hr per city)`);
  return { issuer: provider.issuer, clientId: account.scriptClientId, clientSecret: account.scriptClientSecret };
}

/** An access token for the hub by the client-credentials grant (RFC 6749, 4.4), at the token endpoint the provider's discovery document names. */
export async function clientCredentialsToken(client: ScriptClient): Promise<{ token: string; expiresIn: number }> {
  const discovery = await fetch(`${client.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`).catch((error: unknown) => {
    throw new Error(`the identity provider at ${client.issuer} does not answer (${(error as Error).message}); is the hub running (npm start)?`);
  });
  if (!discovery.ok) throw new Error(`the identity provider at ${client.issuer} has no discovery document (HTTP ${discovery.status})`);
  const { token_endpoint: tokenEndpoint } = (await discovery.json()) as { token_endpoint: string };
  const response = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`).toString('base64')}`,
    },
    // The resource indicator (RFC 8707) names the hub; providers without resource indicators ignore it.
    body: new URLSearchParams({ grant_type: 'client_credentials', resource: HUB_RESOURCE }),
  });
  const body = (await response.json()) as { access_token?: string; expires_in?: number; error?: string; error_description?: string };
  if (!response.ok || !body.access_token) throw new Error(`the identity provider refused: ${body.error_description ?? body.error ?? `HTTP ${response.status}`}`);
  return { token: body.access_token, expiresIn: body.expires_in ?? 0 };
}
