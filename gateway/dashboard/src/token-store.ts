/**
 * Where the signed-in user's access token is kept for the browser tab (sessionStorage): written by session.ts, read
 * by every request. Apart from session.ts so that the workbench sends the token without loading the sign-in library.
 */
export const TOKEN_KEY = 'hub-token';

export function storedToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}
