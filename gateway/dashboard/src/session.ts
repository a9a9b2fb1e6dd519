/**
 * The signed-in user's token, kept for the browser tab only (sessionStorage), and what it says about its holder.
 * The token is checked by the gateway; decoding it here only decides what the page offers.
 */
const STORAGE_KEY = 'hub-token';

export interface TokenHolder {
  name: string;
  roles: string[];
  city: string | null;
}

export function storedToken(): string | null {
  return sessionStorage.getItem(STORAGE_KEY);
}

export function storeToken(token: string | null): void {
  if (token) sessionStorage.setItem(STORAGE_KEY, token);
  else sessionStorage.removeItem(STORAGE_KEY);
  window.dispatchEvent(new Event('hub-token'));
}

export function holderOf(token: string | null): TokenHolder | null {
  const payload = token?.split('.')[1];
  if (!payload) return null;
  try {
    const claims = JSON.parse(atob(payload.replaceAll('-', '+').replaceAll('_', '/'))) as Record<string, unknown>;
    const roles = Array.isArray(claims.roles) ? claims.roles.map(String) : [];
    const name = [claims.name, claims.preferred_username, claims.sub].find((value) => typeof value === 'string') as string | undefined;
    return { name: name ?? '?', roles, city: typeof claims.city === 'string' ? claims.city : null };
  } catch {
    return null;
  }
}
