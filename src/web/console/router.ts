import { useSyncExternalStore } from 'react';

/**
 * A tiny History API router: the console has three routes (/login, /, /conversations/:id), which
 * does not justify a routing dependency. The server falls back to index.html for these paths.
 */
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

/** Goes to a console path, adding a history entry (or replacing the current one). */
export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (path === window.location.pathname) return;
  if (options.replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  for (const listener of listeners) listener();
}

/** The current path; re-renders on navigation and on the browser's back and forward buttons. */
export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}

export type Route = { name: 'login' } | { name: 'inbox'; conversationId: string | null };

/** Maps a path to a route; unknown paths show the inbox. */
export function matchRoute(pathname: string): Route {
  if (pathname === '/login') return { name: 'login' };
  const match = /^\/conversations\/([^/]+)\/?$/.exec(pathname);
  return { name: 'inbox', conversationId: match?.[1] ? decodeURIComponent(match[1]) : null };
}
