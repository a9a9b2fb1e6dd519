import { UserManager, WebStorageStateStore, type User } from 'oidc-client-ts';
import { storedToken, TOKEN_KEY } from './token-store';

export { storedToken };

/**
 * The signed-in user's session: OpenID Connect sign-in (authorization code with PKCE, oidc-client-ts) against the
 * identity provider the gateway names in /dashboard-config.json. The access token is kept for the browser tab only
 * (sessionStorage) and renewed with the refresh token while the tab is open. It is checked by the gateway; decoding
 * it here only decides what the page offers.
 */
/** Where the provider sends the browser back after sign-in (the gateway serves the dashboard there). */
export const CALLBACK_PATH = '/anmeldung';
const CHANGED = 'hub-token';

export interface TokenHolder {
  name: string;
  roles: string[];
  city: string | null;
}

export type SessionState = 'unavailable' | 'signed-out' | 'signed-in' | 'expired';

let manager: UserManager | null = null;
/** From this age (seconds) on, a page says that its figures came from the gateway's cache (/dashboard-config.json). */
let ageNoticeSeconds = 60;

export function answerAgeNoticeSeconds(): number {
  return ageNoticeSeconds;
}
let state: SessionState = 'unavailable';

export function sessionState(): SessionState {
  return state;
}

let announced = '';

function publish(user: User | null, next: SessionState): void {
  if (user && !user.expired) sessionStorage.setItem(TOKEN_KEY, user.access_token);
  else sessionStorage.removeItem(TOKEN_KEY);
  state = next;
  // A renewed token for the same person changes nothing on the page; pages reload their figures only for another viewer.
  const viewer = `${next}:${user?.profile.sub ?? ''}`;
  if (viewer === announced) return;
  announced = viewer;
  window.dispatchEvent(new Event(CHANGED));
}

/** Subscribes to sign-in, renewal and sign-out; returns the unsubscribe function. */
export function onSessionChange(listener: () => void): () => void {
  window.addEventListener(CHANGED, listener);
  return () => window.removeEventListener(CHANGED, listener);
}

/** The session ended without a sign-out (expired, renewal refused): the page asks to sign in again. */
async function expire(): Promise<void> {
  await manager?.removeUser();
  publish(null, 'expired');
}

/**
 * Reads where to sign in, finishes a sign-in the provider has just sent back, and picks up the tab's session.
 * Without an identity provider (a hub that trusts its own key only) nobody signs in on the dashboard.
 */
export async function startSession(): Promise<void> {
  const response = await fetch('/dashboard-config.json');
  const config = response.ok
    ? ((await response.json()) as { signIn: { issuer: string; clientId: string } | null; ageNoticeSeconds?: number })
    : { signIn: null };
  if (typeof config.ageNoticeSeconds === 'number') ageNoticeSeconds = config.ageNoticeSeconds;
  if (!config.signIn) {
    publish(null, 'unavailable');
    return;
  }
  manager = new UserManager({
    authority: config.signIn.issuer,
    client_id: config.signIn.clientId,
    redirect_uri: `${window.location.origin}${CALLBACK_PATH}`,
    post_logout_redirect_uri: `${window.location.origin}/`,
    response_type: 'code',
    // offline_access: a refresh token, so that the session renews itself without a hidden frame.
    scope: 'openid profile offline_access',
    userStore: new WebStorageStateStore({ store: sessionStorage }),
    automaticSilentRenew: true,
    loadUserInfo: false,
  });
  manager.events.addUserLoaded((user) => publish(user, 'signed-in'));
  manager.events.addSilentRenewError(() => void expire());
  manager.events.addAccessTokenExpired(() => void expire());
  if (window.location.pathname === CALLBACK_PATH) {
    const user = await manager.signinRedirectCallback().catch(() => null);
    const returnTo = (user?.state as { returnTo?: string } | undefined)?.returnTo ?? '/meldungen';
    window.history.replaceState(null, '', returnTo.startsWith('/') ? returnTo : '/');
    if (!user) publish(null, 'signed-out');
    return;
  }
  const user = await manager.getUser();
  if (!user) publish(null, 'signed-out');
  else if (!user.expired) publish(user, 'signed-in');
  else if (!(await renew())) await expire();
}

/** Renews the session now (refresh token); false when the provider no longer does. */
async function renew(): Promise<boolean> {
  try {
    const user = await manager?.signinSilent();
    return Boolean(user);
  } catch {
    return false;
  }
}

/**
 * A token for a request: the current one, renewed first when it has run out; null when signed out or when the
 * session cannot be renewed (the page then asks to sign in again).
 */
export async function currentToken(): Promise<string | null> {
  if (!manager) return storedToken();
  const user = await manager.getUser();
  if (!user) return null;
  if (!user.expired) return user.access_token;
  if (await renew()) return (await manager.getUser())?.access_token ?? null;
  await expire();
  return null;
}

/** The gateway refused the token (expired there first, or the provider's key changed): renew once, or ask to sign in. */
export async function tokenRefused(): Promise<string | null> {
  if (await renew()) return (await manager?.getUser())?.access_token ?? null;
  if (state === 'signed-in') await expire();
  return null;
}

/** Sends the browser to the provider's login page; it comes back to `returnTo`. */
export async function signIn(returnTo: string = window.location.pathname + window.location.search): Promise<void> {
  await manager?.signinRedirect({ state: { returnTo } });
}

/** Ends the session here and at the provider (RP-initiated logout), which then sends the browser back to the overview. */
export async function signOut(): Promise<void> {
  if (!manager) return;
  const user = await manager.getUser();
  await manager.removeUser();
  publish(null, 'signed-out');
  await manager.signoutRedirect({ id_token_hint: user?.id_token });
}

export function holderOf(token: string | null): TokenHolder | null {
  const payload = token?.split('.')[1];
  if (!payload) return null;
  try {
    const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(payload.replaceAll('-', '+').replaceAll('_', '/')), (character) => character.charCodeAt(0)))) as Record<string, unknown>;
    // Keycloak's realm roles (and the embedded provider's), or a flat `roles` claim.
    const realmRoles = (claims.realm_access as { roles?: unknown } | undefined)?.roles;
    const declared = Array.isArray(realmRoles) ? realmRoles : Array.isArray(claims.roles) ? claims.roles : [];
    const name = [claims.name, claims.preferred_username, claims.sub].find((value) => typeof value === 'string') as string | undefined;
    return { name: name ?? '?', roles: declared.map(String), city: typeof claims.city === 'string' ? claims.city : null };
  } catch {
    return null;
  }
}
