import type { GraphQLError } from 'graphql';
import { localizedError, type Messages } from '../messages';
import { isAnonymous, type Viewer } from './viewer';

/** What a field or mutation needs, in the words of the role matrix (docs/security.md). */
export const Access = {
  /** Forum members and above: unit breakdowns, revision history. */
  MEMBER: 'MEMBER',
  /** The city's own HR team: writes, unsuppressed figures. */
  OWN_CITY_HR: 'OWN_CITY_HR',
  /** Administrators: audit log, commitments, tokens. */
  ADMIN: 'ADMIN',
} as const;
export type Access = (typeof Access)[keyof typeof Access];

export interface CityRef {
  id: string;
  name: string;
}

export function allows(viewer: Viewer, access: Access, city?: CityRef): boolean {
  switch (access) {
    case Access.MEMBER:
      return viewer.roles.has('member') || viewer.roles.has('hr') || viewer.roles.has('admin');
    case Access.OWN_CITY_HR:
      return viewer.roles.has('hr') && city !== undefined && viewer.city === city.id;
    case Access.ADMIN:
      return viewer.roles.has('admin');
  }
}

/** Counts below the minimum are hidden from everyone but the city's own HR team and administrators. */
export function seesUnsuppressedFigures(viewer: Viewer, city: CityRef): boolean {
  return viewer.roles.has('admin') || allows(viewer, Access.OWN_CITY_HR, city);
}

function requirement(access: Access, city?: CityRef): { code: string; needed: Messages } {
  switch (access) {
    case Access.MEMBER:
      return {
        code: 'member',
        needed: { de: 'die Rolle member (Forummitglied), hr oder admin', en: 'the role member (forum member), hr or admin' },
      };
    case Access.OWN_CITY_HR:
      return {
        code: `hr:${city?.id ?? '?'}`,
        needed: { de: `die Rolle hr für ${city?.name ?? '?'}`, en: `the role hr for ${city?.name ?? '?'}` },
      };
    case Access.ADMIN:
      return { code: 'admin', needed: { de: 'die Rolle admin', en: 'the role admin' } };
  }
}

function granted(viewer: Viewer): string {
  const roles = [...viewer.roles].map((role) => (role === 'hr' && viewer.city ? `hr:${viewer.city}` : role));
  return roles.length > 0 ? roles.join(', ') : '-';
}

/**
 * Why the viewer may not do this, as the error to return: `UNAUTHENTICATED` without a token, `FORBIDDEN` naming
 * what was needed with one. `null` when access is allowed.
 */
export function denial(viewer: Viewer, access: Access, city?: CityRef): GraphQLError | null {
  if (allows(viewer, access, city)) return null;
  const { code, needed } = requirement(access, city);
  if (isAnonymous(viewer)) {
    return localizedError(
      viewer.locale,
      { de: `Bitte anmelden: dafür ist ${needed.de} nötig.`, en: `Sign in first: this needs ${needed.en}.` },
      { code: 'UNAUTHENTICATED', required: code },
    );
  }
  return localizedError(
    viewer.locale,
    {
      de: `Nicht erlaubt: dafür ist ${needed.de} nötig; Ihr Token berechtigt zu: ${granted(viewer)}.`,
      en: `Not allowed: this needs ${needed.en}; your token grants: ${granted(viewer)}.`,
    },
    { code: 'FORBIDDEN', required: code, granted: granted(viewer) },
  );
}

export function assertAllowed(viewer: Viewer, access: Access, city?: CityRef): void {
  const error = denial(viewer, access, city);
  if (error) throw error;
}
