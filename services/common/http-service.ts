import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApolloServer, ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware, type ExpressContextFunctionArgument } from '@as-integrations/express5';
import express, { type Express, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { localeFrom, type Viewer } from './auth/viewer';
import type { Messages } from './messages';
import type { Logger } from './logger';
import type { ServiceMetrics } from './metrics';

/** A request whose credentials were refused: answered 401 with one `UNAUTHENTICATED` error, before any GraphQL runs. */
export class Unauthenticated extends Error {
  override name = 'Unauthenticated';
  constructor(
    readonly messages: Messages,
    readonly reason: string,
  ) {
    super(messages.en);
  }
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
  if (options.trustProxy) app.set('trust proxy', options.trustProxy);
  const httpServer = http.createServer(app);
  httpServer.requestTimeout = options.limits.requestTimeoutMs;
  httpServer.headersTimeout = Math.min(options.limits.requestTimeoutMs, 20_000);
  // Idle connections stay open longer than the gateway keeps them (SUBGRAPH_KEEP_ALIVE_MS in
  // gateway/subgraph-data-source.ts), so that it is always the caller that closes one: otherwise a caller busy for a
  // moment sends its next request on a connection this server has just closed, and gets a reset.
  httpServer.keepAliveTimeout = SERVER_KEEP_ALIVE_MS;
  let stopping: Promise<void> | undefined;
  const apollo = options.createApollo(ApolloServerPluginDrainHttpServer({ httpServer }));
  await apollo.start();

  app.get('/health', async (_request, response) => {
    const report = await options.health();
    response.status(report.status === 'ok' ? 200 : 503).json({ service: options.service, ...report });
  });
  app.get('/ready', async (_request, response) => {
    // A load balancer stops sending new requests as soon as this turns 503, while the ones in flight finish.
    const report: HealthReport = stopping ? { status: 'unavailable', stopping: true } : await (options.ready ?? options.health)();
    response.status(report.status === 'ok' ? 200 : 503).json({ service: options.service, ...report });
  });
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
  const authenticate = async (request: Request, response: Response, next: NextFunction) => {
    try {
      response.locals.viewer = await options.authenticate(request);
    } catch (error) {
      if (!(error instanceof Unauthenticated)) return next(error);
      response.locals.refusedCredentials = error;
    }
    next();
  };
  const refuseUnauthenticated = (request: Request, response: Response, next: NextFunction) => {
    const error = response.locals.refusedCredentials as Unauthenticated | undefined;
    if (!error) return next();
    options.logger.info({ reason: error.reason }, 'request refused: not authenticated');
    const locale = localeFrom(request.headers['accept-language']);
    response.status(401).json({
      errors: [{ message: error.messages[locale], extensions: { code: 'UNAUTHENTICATED', reason: error.reason, messages: error.messages } }],
    });
  };
  app.use(
    '/graphql',
    ...(options.beforeAuthentication ?? []),
    authenticate,
    ...(options.afterAuthentication ?? []),
    refuseUnauthenticated,
    express.json({ limit: options.limits.requestBodyBytes }),
    expressMiddleware(apollo, { context: (argument) => options.context({ ...argument, viewer: argument.res.locals.viewer as Viewer }) }),
  );
  app.use('/graphql', requestBodyErrors(options.limits.requestBodyBytes, options.logger));

  await options.beforeListening?.(apollo);
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host, () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}/graphql`;
  options.logger.info({ url }, `${options.service} ready`);

  const stop = () => {
    stopping ??= (async () => {
      await apollo.stop();
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
    const refuse = (httpStatus: number, code: string, messages: Messages, extensions: Record<string, unknown> = {}) =>
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
