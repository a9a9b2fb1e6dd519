/** Who is asking: the identity the gateway verified, as every service sees it. */

export const ROLES = ['member', 'hr', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Viewer {
  /** Stable id from the token (`sub`); `anonymous` without a token. */
  subject: string;
  /** Display name for the audit log and revisions (`name` or `preferred_username`, else the subject). */
  name: string;
  roles: ReadonlySet<Role>;
  /** The city an `hr` token is for. */
  city: string | null;
  /** Preferred language of messages. */
  locale: 'de' | 'en';
}

export const ANONYMOUS: Viewer = Object.freeze({
  subject: 'anonymous',
  name: 'anonymous',
  roles: new Set<Role>(),
  city: null,
  locale: 'en',
});

export function isAnonymous(viewer: Viewer): boolean {
  return viewer.roles.size === 0 && viewer.subject === ANONYMOUS.subject;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** German unless the request asks for English first (Accept-Language). */
export function localeFrom(acceptLanguage: string | undefined): 'de' | 'en' {
  const first = acceptLanguage?.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'de';
}

/** The claims the gateway passes to the subgraphs, and back. */
export interface ViewerClaims {
  sub: string;
  name: string;
  roles: Role[];
  city: string | null;
  locale: 'de' | 'en';
}

export function viewerToClaims(viewer: Viewer): ViewerClaims {
  return { sub: viewer.subject, name: viewer.name, roles: [...viewer.roles], city: viewer.city, locale: viewer.locale };
}

export function viewerFromClaims(claims: Partial<ViewerClaims>): Viewer {
  return {
    subject: String(claims.sub ?? ANONYMOUS.subject),
    name: String(claims.name ?? claims.sub ?? ANONYMOUS.name),
    roles: new Set((claims.roles ?? []).filter(isRole)),
    city: typeof claims.city === 'string' ? claims.city : null,
    locale: claims.locale === 'en' ? 'en' : 'de',
  };
}
