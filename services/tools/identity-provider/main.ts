import { generateKeyPairSync, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import express from 'express';
import Provider from 'oidc-provider';
import { createLogger } from '../../common/logger';
import { runMain, stopOnSignals } from '../../common/process-lifecycle';
import { loadRegistry } from '../../common/registry';
import { accountsFile, loadOrCreateAccounts, type DemoAccount } from './accounts';
import { DASHBOARD_CLIENT_ID, HUB_RESOURCE, dashboardRedirects, readIdentityProviderConfig } from './config';
import { errorPage, loginPage, logoutPage } from './pages';

/** A JSON file under the data directory, made once (keys must outlive restarts, or every session and token dies). */
function loadOrCreate<T>(file: string, create: () => T): T {
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(create(), null, 2)}\n`, { mode: 0o600 });
  }
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** RS256: what OpenID Connect clients must accept for ID tokens by default; the access tokens use it too. */
function signingKey(): Record<string, unknown> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' };
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Claims of an account in Keycloak's shape: roles as realm roles, the city as a user attribute. */
function accountClaims(account: DemoAccount): Record<string, unknown> {
  return { name: account.name, preferred_username: account.username, realm_access: { roles: account.roles }, ...(account.city ? { city: account.city } : {}) };
}

/**
 * The embedded identity provider (`npm start` starts it before the gateway): a certified OpenID Connect provider
 * library (oidc-provider) with the hub's demo accounts. The gateway trusts it as it would trust Keycloak, by its
 * issuer and JWKS; docs/security.md says how to get tokens from it.
 */
async function main(): Promise<void> {
  const config = readIdentityProviderConfig();
  const logger = createLogger('identity-provider', config.logLevel);
  const registry = loadRegistry();
  const accounts = loadOrCreateAccounts(accountsFile(config.dataDir), registry);
  const byUsername = new Map(accounts.map((account) => [account.username, account]));
  const byScriptClient = new Map(accounts.map((account) => [account.scriptClientId, account]));
  const jwks = loadOrCreate(path.join(config.dataDir, 'jwks.json'), () => ({ keys: [signingKey()] }));
  const cookieKeys = loadOrCreate(path.join(config.dataDir, 'cookie-keys.json'), () => [randomBytes(32).toString('base64url')]);

  const provider = new Provider(config.issuer, {
    jwks,
    cookies: { keys: cookieKeys },
    clients: [
      {
        client_id: DASHBOARD_CLIENT_ID,
        client_name: 'Dashboard des Integrationsforums',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: config.dashboardOrigins.map((origin) => dashboardRedirects(origin).signIn),
        post_logout_redirect_uris: config.dashboardOrigins.map((origin) => dashboardRedirects(origin).signOut),
      },
      ...accounts.map((account) => ({
        client_id: account.scriptClientId,
        client_secret: account.scriptClientSecret,
        client_name: `Skripte von ${account.username}`,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
      })),
    ],
    claims: { openid: ['sub'], profile: ['name', 'preferred_username', 'realm_access', 'city'] },
    scopes: ['openid', 'profile', 'offline_access'],
    findAccount: (_context: unknown, accountId: string) => {
      const account = byUsername.get(accountId);
      return account ? { accountId, claims: () => ({ sub: accountId, ...accountClaims(account) }) } : undefined;
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      revocation: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (context: { body: string }, form: string) => {
          context.body = logoutPage(form);
        },
        postLogoutSuccessSource: (context: { body: string }) => {
          context.body = logoutPage('<p>Sie sind abgemeldet.</p>').replace(/<button[^]*<\/button>/, '');
        },
      },
      resourceIndicators: {
        enabled: true,
        // Every token is for the hub unless a client names another resource (there is none).
        defaultResource: () => HUB_RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_context: unknown, resource: string) => {
          if (resource !== HUB_RESOURCE) throw new Error(`unknown resource ${resource}`);
          return { scope: 'hub', audience: config.audience, accessTokenTTL: config.accessTokenSeconds, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } };
        },
      },
    },
    // The roles and the city travel in the access token, where the gateway reads them (AUTH_ROLES_CLAIM, AUTH_CITY_CLAIM).
    extraTokenClaims: (_context: unknown, token: { kind: string; accountId?: string; clientId?: string }) => {
      const account = token.kind === 'ClientCredentials' ? byScriptClient.get(token.clientId ?? '') : byUsername.get(token.accountId ?? '');
      return account ? accountClaims(account) : undefined;
    },
    // The dashboard renews its session with refresh tokens while the tab is in use; they end with the provider session.
    issueRefreshToken: (_context: unknown, client: { grantTypeAllowed(type: string): boolean }) => client.grantTypeAllowed('refresh_token'),
    pkce: { required: () => true },
    clientBasedCORS: (_context: unknown, origin: string, client: { clientId: string }) => client.clientId === DASHBOARD_CLIENT_ID && config.dashboardOrigins.includes(origin),
    interactions: { url: (_context: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    ttl: {
      AccessToken: config.accessTokenSeconds,
      ClientCredentials: config.accessTokenSeconds,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 3600,
      Grant: 8 * 3600,
      Session: 8 * 3600,
      RefreshToken: 8 * 3600,
    },
    renderError: (context: { type: string; body: string }, output: { error_description?: string; error: string }) => {
      context.type = 'html';
      context.body = errorPage(output.error_description ?? output.error);
    },
  });

  const app = express();
  app.disable('x-powered-by');
  app.use('/interaction', (_request, response, next) => {
    // The login form posts here and the provider then redirects to the dashboard: both must be allowed form targets.
    response.set({
      'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; form-action 'self' ${config.dashboardOrigins.join(' ')}; frame-ancestors 'none'; base-uri 'none'`,
      'cache-control': 'no-store',
    });
    next();
  });
  app.get('/interaction/:uid', async (request, response, next) => {
    try {
      const details = await provider.interactionDetails(request, response);
      if (details.prompt.name === 'login') {
        response.type('html').send(loginPage(details.uid));
        return;
      }
      // Consent: the clients are the hub's own (like Keycloak's "consent required: off"); grant what they ask for.
      const grant = details.grantId ? await provider.Grant.find(details.grantId) : new provider.Grant({ accountId: details.session!.accountId, clientId: String(details.params.client_id) });
      if (!grant) throw new Error('the grant of this interaction is gone');
      const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(resource, scopes.join(' '));
      await provider.interactionFinished(request, response, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
    } catch (error) {
      next(error);
    }
  });
  app.post('/interaction/:uid/login', express.urlencoded({ extended: false, limit: '4kb' }), async (request, response, next) => {
    try {
      const details = await provider.interactionDetails(request, response);
      const username = String(request.body?.username ?? '').trim();
      const account = byUsername.get(username);
      if (!account || !sameSecret(String(request.body?.password ?? ''), account.password)) {
        logger.info({ username }, 'sign-in refused: wrong user name or password');
        response.status(401).type('html').send(loginPage(details.uid, { username, refused: true }));
        return;
      }
      logger.info({ username }, 'signed in');
      await provider.interactionFinished(request, response, { login: { accountId: account.username } }, { mergeWithLastSubmission: false });
    } catch (error) {
      next(error);
    }
  });
  app.get('/health', (_request, response) => {
    response.json({ status: 'ok' });
  });
  app.use(provider.callback());

  const server = app.listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info({ url: config.issuer, port, accounts: accounts.length }, `identity provider on ${config.host}:${port} ready`);
  stopOnSignals(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    logger,
  );
}

runMain('identity-provider', main);
