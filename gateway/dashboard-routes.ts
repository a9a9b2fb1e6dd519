import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Express, type RequestHandler } from 'express';
import type { Logger } from '../services/common/logger';

/** Paths of the dashboard's pages (its router decides which page); everything else stays the API's. */
export const DASHBOARD_PATHS = ['/', '/staedte', '/staedte/:id', '/vergleich', '/meldungen', '/anmeldung'];

/** What the dashboard needs to sign in: the identity provider's issuer and its client id there; null: nobody signs in. */
export interface DashboardSignIn {
  issuer: string;
  clientId: string;
}

/**
 * Everything comes from this origin: scripts, styles, fonts and the editor's workers (no CDN). Inline styles are
 * allowed because the charts and the editor set them on elements.
 */
/** The identity provider is the one other origin the dashboard talks to (discovery, token endpoint, JWKS). */
const contentSecurityPolicy = (signIn: DashboardSignIn | null) =>
  [
    "default-src 'self'",
    "img-src 'self' data: blob:",
    "style-src 'self' 'unsafe-inline'",
    "font-src 'self' data:",
    "worker-src 'self' blob:",
    `connect-src 'self'${signIn ? ` ${new URL(signIn.issuer).origin}` : ''}`,
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; ');

const securityHeadersFor =
  (signIn: DashboardSignIn | null): RequestHandler =>
  (_request, response, next) => {
    response.set({
      'content-security-policy': contentSecurityPolicy(signIn),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'same-origin',
    });
    next();
  };

/** How the dashboard shows what it reads. */
export interface DashboardDisplay {
  /** From this age (seconds, the gateway's `Age` header) on, a page says its figures came from the cache and how old they are. */
  ageNoticeSeconds: number;
}

/** Serves the dashboard (/) and the analysts' workbench (/graphiql) built into `dir` by `npm run build`. */
export function serveDashboard(
  app: Express,
  dir: string,
  logger: Logger,
  signIn: DashboardSignIn | null = null,
  display: DashboardDisplay = { ageNoticeSeconds: 60 },
): void {
  const securityHeaders = securityHeadersFor(signIn);
  // Read by the dashboard before it renders: where to sign in, and from what age it says an answer came from the
  // cache. Not cached, so a changed setting takes effect at once.
  app.get('/dashboard-config.json', (_request, response) => {
    response.set('cache-control', 'no-cache').json({ signIn, ageNoticeSeconds: display.ageNoticeSeconds });
  });
  if (!existsSync(path.join(dir, 'index.html'))) {
    logger.warn({ dir }, 'dashboard not built (npm run build); serving the API only');
    return;
  }
  // File names carry a content hash: a new build has new names, so browsers may keep these for good.
  app.use('/assets', securityHeaders, express.static(path.join(dir, 'assets'), { immutable: true, maxAge: '365d', index: false, fallthrough: false }));
  const page =
    (file: string): RequestHandler =>
    (_request, response) => {
      response.set('cache-control', 'no-cache');
      response.sendFile(path.join(dir, file));
    };
  app.get('/graphiql', securityHeaders, page('graphiql.html'));
  app.get(DASHBOARD_PATHS, securityHeaders, page('index.html'));
}
