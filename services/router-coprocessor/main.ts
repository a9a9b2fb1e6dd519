import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import { readAuthConfig } from '../common/auth/auth-config';
import { GatewayCredentialSigner } from '../common/auth/gateway-credential';
import { HUB_ALGORITHM, loadOrCreateSigningKey, readPublicKeys } from '../common/auth/keys';
import { userAuthentication } from '../common/auth/request-authentication';
import { UserTokenVerifier } from '../common/auth/user-tokens';
import { runMain, stopOnSignals } from '../common/process-lifecycle';
import { createLogger } from '../common/logger';
import { loadRegistry } from '../common/registry';
import { COPROCESSOR_PATH, GATEWAY_JWKS_PATH, USER_JWKS_PATH, readCoprocessorConfig } from './config';
import { answerSubgraphRequest, subgraphRequestPayload } from './subgraph-request';

const SERVICE = 'router-coprocessor';

/**
 * Apollo Router's coprocessor (`npm run router-coprocessor`): the router cannot sign our ES256 credentials itself,
 * so it hands every subgraph request here first (schema/router.yaml, `coprocessor`). Only the router may reach it:
 * whoever can, gets credentials that the subgraphs accept.
 */
async function main(): Promise<void> {
  const registry = loadRegistry();
  const config = readCoprocessorConfig();
  const auth = readAuthConfig();
  const logger = createLogger(SERVICE, config.logLevel);

  // The same keys as the gateway: on the embedded default both make the hub's keys on first use, whoever starts first.
  const localUserKeyFile = auth.localIssuer && 'file' in auth.users.keys ? auth.users.keys.file : undefined;
  if (localUserKeyFile) await loadOrCreateSigningKey(localUserKeyFile);
  const authenticate = userAuthentication(new UserTokenVerifier(auth.users, new Set(registry.members.map((member) => member.id))));
  const gatewayKey = await loadOrCreateSigningKey(auth.gatewayKeyFile);
  const credentials = new GatewayCredentialSigner(gatewayKey);
  const asKeySet = (keys: Array<Record<string, unknown>>) => ({ keys: keys.map((key) => ({ ...key, use: 'sig', alg: HUB_ALGORITHM })) });

  let stopping = false;
  const app = express();
  app.disable('x-powered-by');
  app.get('/health', (_request, response) => {
    response.json({ service: SERVICE, status: 'ok' });
  });
  app.get('/ready', (_request, response) => {
    response.status(stopping ? 503 : 200).json({ service: SERVICE, status: stopping ? 'unavailable' : 'ok' });
  });
  app.get(GATEWAY_JWKS_PATH, (_request, response) => {
    response.json(asKeySet([gatewayKey.publicJwk]));
  });
  app.get(USER_JWKS_PATH, (_request, response) => {
    if (!localUserKeyFile) {
      response.status(404).json({ error: 'user tokens come from the identity provider (AUTH_JWKS_URL), whose key set the router reads itself' });
      return;
    }
    response.json(asKeySet(readPublicKeys(localUserKeyFile).keys as Array<Record<string, unknown>>));
  });
  app.post(COPROCESSOR_PATH, express.json({ limit: config.requestBodyBytes }), async (request, response) => {
    const parsed = subgraphRequestPayload.safeParse(request.body);
    if (!parsed.success) {
      // The router counts this as a failed coprocessor call and does not send the subgraph request: safe, and loud.
      const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`).join('; ');
      logger.warn({ problems }, 'coprocessor request refused: not a SubgraphRequest payload of protocol version 1');
      response.status(400).json({
        error: `expected a SubgraphRequest stage payload of coprocessor protocol version 1 with headers and serviceName (${problems})`,
      });
      return;
    }
    const answer = await answerSubgraphRequest(parsed.data, authenticate, credentials);
    if (answer.control !== 'continue') {
      logger.info({ subgraph: parsed.data.serviceName, reason: answer.body.errors[0]?.extensions.reason }, 'subgraph request refused: not authenticated');
    }
    response.json(answer);
  });
  app.use((error: unknown, _request: Request, response: Response, next: NextFunction) => {
    const status = (error as { status?: number }).status;
    if (typeof status !== 'number' || status < 400 || status >= 500) return next(error);
    response.status(status).json({ error: (error as Error).message });
  });

  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  logger.info({ url: `http://${host}:${port}${COPROCESSOR_PATH}` }, `${SERVICE} ready`);

  stopOnSignals(async () => {
    stopping = true;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      // The router keeps connections open between requests; those idle now would hold the close up.
      server.closeIdleConnections();
    });
    logger.info(`${SERVICE} stopped`);
  }, logger);
}

runMain(SERVICE, main);
