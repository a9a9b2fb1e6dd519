import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { ApolloServer, ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware, type ExpressContextFunctionArgument } from '@as-integrations/express5';
import express, { type Express, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { localeFrom, type Viewer } from './auth/viewer';
import type { Messages } from './messages';
import type { Logger } from './logger';
import type { ServiceMetrics } from './metrics';
import { errorExtensions, type ErrorCode } from './error-codes';

/** A request whose credentials were refused: answered 401 with one `UNAUTHENTICATED` error, before any GraphQL runs. */
export class Unauthenticated extends Error {
  override name = 'Unauthenticated';
  constructor(
    readonly messages: Messages,
    readonly reason: string,
    /** For the log only, never for the caller (e.g. whose credential was replayed). */
    readonly detail: Record<string, unknown> = {},
  ) {
    super(messages.en);
  }
}

/** A request the service cannot take now (what it must ask is unreachable): answered 503 with one `SERVICE_UNAVAILABLE` error, before any GraphQL runs. */
export class Unavailable extends Error {
  override name = 'Unavailable';
  constructor(
    readonly messages: Messages,
    readonly reason: string,
    readonly detail: Record<string, unknown> = {},
  ) {
    super(messages.en);
  }
}

/** A subgraph's own certificate and the CA whose client certificates it accepts (services/common/tls.ts). */
export interface ServerTls {
  cert: Buffer;
  key: Buffer;
  clientCa: Buffer;
}

export interface HealthReport {
  /** `ok`: serving; anything else answers `/health` with 503. */
  status: 'ok' | 'unavailable';
  [detail: string]: unknown;
}

export interface HttpServiceOptions<Context extends BaseContext> {
  service: string;
  host: string;
  port: number;
  logger: Logger;
  metrics: ServiceMetrics;
  /** Builds the Apollo server; the drain plugin lets in-flight requests finish on shutdown. */
  createApollo: (drain: ApolloServerPlugin<Context>) => ApolloServer<Context>;
  /** Who is asking; throws `Unauthenticated` to refuse the request. */
  authenticate: (request: Request) => Promise<Viewer>;
  /**
   * Run once the body is parsed, before GraphQL: whether the credential covers the operation (a write needs its own);
   * throws `Unauthenticated` or `Unavailable` to refuse it.
   */
  authorizeOperation?: (request: Request) => Promise<void>;
  /** HTTPS that requires a client certificate signed by `clientCa`; absent: plain HTTP. */
  tls?: ServerTls;
  /**
   * Also serves `/health` and `/ready` over plain HTTP on this port, for probes that hold no client certificate
   * (container health checks) when `tls` is set.
   */
  healthPort?: number;
  context: (argument: ExpressContextFunctionArgument & { viewer: Viewer }) => Promise<Context>;
  health: () => Promise<HealthReport>;
  /** Whether the service can take traffic (`/ready`); answers 503 from the moment shutdown begins. Default: `health`. */
  ready?: () => Promise<HealthReport>;
  /** Largest request body and longest time to receive a request (from services/common/limits.ts). */
  limits: { requestBodyBytes: number; requestTimeoutMs: number };
  /** Express `trust proxy`: whose `X-Forwarded-For` names the client's address. */
  trustProxy?: string | false;
  /** Run on every /graphql request before its token is checked (CORS). */
  beforeAuthentication?: RequestHandler[];
  /**
   * Run on every /graphql request once its token is checked: rate limits. `response.locals.viewer` is the verified
   * viewer, and absent when the token was refused; such a request is answered 401 only after these have run, so
   * that a refused token counts against a limit like any other request.
   */
  afterAuthentication?: RequestHandler[];
  /** Bearer token that `/metrics` requires; without one, `/metrics` is not served. */
  metricsToken?: string;
  /** Runs once Apollo has started and before the port opens (warming caches). */
  beforeListening?: (apollo: ApolloServer<Context>) => Promise<void>;
  /** Extra routes (mounted before /graphql). */
  routes?: (app: Express) => void;
  /** Releases what the service holds (database pools), after the last request has finished. */
  onStop?: () => Promise<void>;
}

export interface HttpService {
  url: string;
  port: number;
  stop: () => Promise<void>;
}

/** How long an idle kept-alive connection stays open: well beyond the gateway's 30 s, as behind a load balancer. */
export const SERVER_KEEP_ALIVE_MS = 65_000;

/** One HTTP process: GraphQL at /graphql, /health, and Prometheus /metrics. */
export async function startHttpService<Context extends BaseContext>(options: HttpServiceOptions<Context>): Promise<HttpService> {
  const app = express();
  app.disable('x-powered-by');
  // Express hashes every body it sends for an ETag; GraphQL answers go out on POST, where no client revalidates, so
  // that was CPU spent on every answer for nothing (the dashboard's static files keep theirs: serve-static's own).
  app.set('etag', false);
  if (options.trustProxy) app.set('trust proxy', options.trustProxy);
  const httpServer = options.tls
    ? https.createServer(
        {
          cert: options.tls.cert,
          key: options.tls.key,
          ca: options.tls.clientCa,
          // Whoever has no certificate from the hub's CA is turned away in the handshake, before any HTTP.
          requestCert: true,
          rejectUnauthorized: true,
          minVersion: 'TLSv1.2',
        },
        app,
      )
    : http.createServer(app);
  httpServer.requestTimeout = options.limits.requestTimeoutMs;
  httpServer.headersTimeout = Math.min(options.limits.requestTimeoutMs, 20_000);
  // Idle connections stay open longer than the gateway keeps them (SUBGRAPH_KEEP_ALIVE_MS in
  // gateway/transport/connection-pool.ts), so that it is always the caller that closes one: otherwise a caller busy for a
  // moment sends its next request on a connection this server has just closed, and gets a reset.
  httpServer.keepAliveTimeout = SERVER_KEEP_ALIVE_MS;
  let stopping: Promise<void> | undefined;
  const apollo = options.createApollo(ApolloServerPluginDrainHttpServer({ httpServer }));
  await apollo.start();

  const healthRoutes = (target: Express) => {
    target.get('/health', async (_request, response) => {
      const report = await options.health();
      response.status(report.status === 'ok' ? 200 : 503).json({ service: options.service, ...report });
    });
    target.get('/ready', async (_request, response) => {
      // A load balancer stops sending new requests as soon as this turns 503, while the ones in flight finish.
      const report: HealthReport = stopping ? { status: 'unavailable', stopping: true } : await (options.ready ?? options.health)();
      response.status(report.status === 'ok' ? 200 : 503).json({ service: options.service, ...report });
    });
  };
  healthRoutes(app);
  if (options.metricsToken) {
    app.get('/metrics', async (request, response) => {
      if (request.headers.authorization !== `Bearer ${options.metricsToken}`) {
        response.status(401).json({ error: '/metrics needs the metrics token (METRICS_TOKEN)' });
        return;
      }
      response.type(options.metrics.registry.contentType).send(await options.metrics.registry.metrics());
    });
  }
  options.routes?.(app);
  const refuse = (error: unknown, request: Request, response: Response, next: NextFunction) => {
    const locale = localeFrom(request.headers['accept-language']);
    if (error instanceof Unauthenticated) {
      options.logger.info({ reason: error.reason, ...error.detail }, 'request refused: not authenticated');
      response.status(401).json({
        errors: [{ message: error.messages[locale], extensions: errorExtensions('UNAUTHENTICATED', { reason: error.reason, messages: error.messages }) }],
      });
      return;
    }
    if (error instanceof Unavailable) {
      options.logger.error({ reason: error.reason, ...error.detail }, 'request refused: the service cannot take it now');
      response.status(503).json({
        errors: [{ message: error.messages[locale], extensions: errorExtensions('SERVICE_UNAVAILABLE', { reason: error.reason, messages: error.messages }) }],
      });
      return;
    }
    next(error);
  };
  const authenticate = async (request: Request, response: Response, next: NextFunction) => {
    try {
      response.locals.viewer = await options.authenticate(request);
    } catch (error) {
      if (!(error instanceof Unauthenticated)) return next(error);
      response.locals.refusedCredentials = error;
    }
    next();
  };
  const authorizeOperation = async (request: Request, response: Response, next: NextFunction) => {
    try {
      await options.authorizeOperation?.(request);
      next();
    } catch (error) {
      refuse(error, request, response, next);
    }
  };
  const refuseUnauthenticated = (request: Request, response: Response, next: NextFunction) => {
    const error = response.locals.refusedCredentials as Unauthenticated | undefined;
    if (!error) return next();
    refuse(error, request, response, next);
  };
  app.use(
    '/graphql',
    ...(options.beforeAuthentication ?? []),
    authenticate,
    ...(options.afterAuthentication ?? []),
    refuseUnauthenticated,
    express.json({ limit: options.limits.requestBodyBytes }),
    ...(options.authorizeOperation ? [authorizeOperation] : []),
    expressMiddleware(apollo, { context: (argument) => options.context({ ...argument, viewer: argument.res.locals.viewer as Viewer }) }),
  );
  app.use('/graphql', requestBodyErrors(options.limits.requestBodyBytes, options.logger));

  await options.beforeListening?.(apollo);
  const listen = (server: net.Server, port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, options.host, () => resolve((server.address() as AddressInfo).port));
    });
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  let healthServer: http.Server | undefined;
  if (options.healthPort !== undefined) {
    const healthApp = express();
    healthApp.disable('x-powered-by');
    healthRoutes(healthApp);
    healthServer = http.createServer(healthApp);
    const healthPort = await listen(healthServer, options.healthPort);
    options.logger.info({ url: `http://${host}:${healthPort}/health` }, 'health checks answered without a client certificate');
  }
  const port = await listen(httpServer, options.port);
  const url = `${options.tls ? 'https' : 'http'}://${host}:${port}/graphql`;
  options.logger.info({ url, ...(options.tls ? { tls: 'client certificate required' } : {}) }, `${options.service} ready`);

  const stop = () => {
    stopping ??= (async () => {
      await apollo.stop();
      if (healthServer) {
        healthServer.close();
        healthServer.closeAllConnections();
      }
      await options.onStop?.();
      options.logger.info(`${options.service} stopped`);
    })();
    return stopping;
  };
  return { url, port, stop };
}

/**
 * A body that is too large or not JSON is refused the way GraphQL clients expect: a JSON body with one error and
 * a stable code, instead of Express's HTML error page.
 */
function requestBodyErrors(limitBytes: number, logger: Logger) {
  return (error: unknown, request: Request, response: Response, next: NextFunction) => {
    const { type, status } = (error ?? {}) as { type?: string; status?: number };
    const locale = localeFrom(request.headers['accept-language']);
    const refuse = (httpStatus: number, code: ErrorCode, messages: Messages, extensions: Record<string, unknown> = {}) =>
      response.status(httpStatus).json({ errors: [{ message: messages[locale], extensions: { code, ...extensions, messages } }] });
    if (type === 'entity.too.large') {
      logger.info({ limitBytes }, 'request refused: body too large');
      const size = `${Math.round(limitBytes / 1024)} KB`;
      return refuse(413, 'REQUEST_TOO_LARGE', { de: `Die Anfrage ist größer als ${size}.`, en: `The request is larger than ${size}.` }, { limitBytes });
    }
    if (type === 'entity.parse.failed' || type === 'charset.unsupported' || type === 'encoding.unsupported') {
      return refuse(400, 'BAD_REQUEST', { de: 'Der Inhalt der Anfrage ist kein gültiges JSON.', en: 'The request body is not valid JSON.' });
    }
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return refuse(status, 'BAD_REQUEST', { de: 'Die Anfrage ist fehlerhaft.', en: 'The request is malformed.' });
    }
    next(error);
  };
}
