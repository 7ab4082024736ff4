import { useCallback, useEffect, useMemo, useState } from 'react';
import { consoleApi, type Session } from './api/console-api.js';
import { setUnauthorizedListener } from './api/request-json.js';
import { AppHeader } from './components/app-header.js';
import { findConsolePage } from './console-pages.js';
import { InboxPage } from './components/inbox-page.js';
import { LoginPage } from './components/login-page.js';
import { ModelSetupBanner } from './models/model-setup-banner.js';
import { matchRoute, navigate, usePathname } from './router.js';
import { SessionContext, type SessionContextValue } from './session-context.js';

type SessionState =
  { status: 'checking' } | { status: 'signed-out' } | ({ status: 'signed-in' } & Session);

/** Where to go after signing in: the page the owner asked for, unless that was /login itself. */
let returnPath = '/';

function goToLogin(): void {
  const { pathname } = window.location;
  if (pathname !== '/login') returnPath = pathname;
  navigate('/login', { replace: true });
}

/** The console: checks the session once, then shows the login page or the inbox. */
export function App() {
  const [session, setSession] = useState<SessionState>({ status: 'checking' });
  const pathname = usePathname();
  const route = matchRoute(pathname);

  useEffect(() => {
    setUnauthorizedListener(() => {
      setSession({ status: 'signed-out' });
      goToLogin();
    });
    consoleApi.me().then(
      (me) => setSession({ status: 'signed-in', ...me }),
      () => {
        setSession({ status: 'signed-out' });
        goToLogin();
      },
    );
  }, []);

  const signedIn = useCallback((me: Session) => {
    setSession({ status: 'signed-in', ...me });
    navigate(returnPath, { replace: true });
    returnPath = '/';
  }, []);

  const logout = useCallback(async () => {
    try {
      await consoleApi.logout();
    } finally {
      setSession({ status: 'signed-out' });
      navigate('/login', { replace: true });
    }
  }, []);

  const context = useMemo<SessionContextValue | null>(
    () =>
      session.status === 'signed-in'
        ? { user: session.user, business: session.business, logout }
        : null,
    [session, logout],
  );

  if (session.status === 'checking') return <div className="splash" aria-busy="true" />;
  if (!context || route.name === 'login') return <LoginPage onSignedIn={signedIn} />;
  return (
    <SessionContext.Provider value={context}>
      <div className="app">
        <AppHeader />
        {route.name === 'inbox' && !findConsolePage(pathname) && <ModelSetupBanner />}
        <ConsoleMain pathname={pathname} route={route} role={context.user.role} />
      </div>
    </SessionContext.Provider>
  );
}

/** The page at the current path: one of the console pages the user's role may open, or the inbox. */
function ConsoleMain({
  pathname,
  route,
  role,
}: {
  pathname: string;
  route: ReturnType<typeof matchRoute>;
  role: SessionContextValue['user']['role'];
}) {
  const page = findConsolePage(pathname);
  if (page && page.roles.includes(role)) {
    const Page = page.component;
    return (
      <main className="console-page" data-testid={`page-${page.path.slice(1)}`}>
        <Page />
      </main>
    );
  }
  if (page) {
    return (
      <main className="console-page">
        <p className="banner danger" role="alert">
          Only the business owner can open {page.label}.
        </p>
      </main>
    );
  }
  return <InboxPage conversationId={route.name === 'inbox' ? route.conversationId : null} />;
}
