import { useEffect, useState, type AnchorHTMLAttributes, type MouseEvent } from 'react';

/** Paths of the dashboard; the gateway answers each of them with the same page. */
export type Route =
  | { page: 'overview' }
  | { page: 'city'; id: string | null }
  | { page: 'comparison' }
  | { page: 'submissions' }
  | { page: 'not-found' };

export function routeOf(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { page: 'overview' };
  if (pathname === '/vergleich') return { page: 'comparison' };
  if (pathname === '/meldungen') return { page: 'submissions' };
  const city = /^\/staedte(?:\/([a-z0-9_]+))?\/?$/.exec(pathname);
  if (city) return { page: 'city', id: city[1] ?? null };
  return { page: 'not-found' };
}

export function navigate(path: string): void {
  window.history.pushState(null, '', path);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => routeOf(window.location.pathname));
  useEffect(() => {
    const update = () => setRoute(routeOf(window.location.pathname));
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, []);
  return route;
}

/** A real link (it works without JavaScript and in a new tab) that navigates in place when clicked. */
export function Link({ href, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const follow = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(href);
  };
  return <a href={href} onClick={follow} {...rest} />;
}
