import { useState } from 'react';
import { consolePages } from '../console-pages.js';
import { navigate, usePathname } from '../router.js';
import { useSession } from '../session-context.js';

/** The business name, who is signed in, and the way out. */
export function AppHeader() {
  const { business, user, logout } = useSession();
  const [leaving, setLeaving] = useState(false);
  const pathname = usePathname();
  const pages = consolePages.filter((page) => page.roles.includes(user.role));

  return (
    <header className="app-header">
      <a
        className="app-brand"
        href="/"
        onClick={(event) => {
          event.preventDefault();
          navigate('/');
        }}
      >
        <span className="app-logo" aria-hidden="true">
          P
        </span>
        <span data-testid="business-name">{business.name}</span>
      </a>
      <nav className="app-nav" aria-label="Console">
        <NavLink
          path="/"
          label="Inbox"
          current={!pages.some((page) => pathname.startsWith(page.path))}
        />
        {pages.map((page) => (
          <NavLink
            key={page.path}
            path={page.path}
            label={page.label}
            current={pathname === page.path || pathname.startsWith(`${page.path}/`)}
          />
        ))}
      </nav>
      <div className="app-user">
        <span className="app-user-name" data-testid="user-name">
          {user.name}
        </span>
        <button
          type="button"
          className="button subtle"
          data-testid="logout"
          disabled={leaving}
          onClick={() => {
            setLeaving(true);
            void logout();
          }}
        >
          Log out
        </button>
      </div>
    </header>
  );
}

function NavLink({ path, label, current }: { path: string; label: string; current: boolean }) {
  return (
    <a
      href={path}
      className="app-nav-link"
      aria-current={current ? 'page' : undefined}
      data-testid={`nav-${path === '/' ? 'inbox' : path.slice(1)}`}
      onClick={(event) => {
        if (event.metaKey || event.ctrlKey || event.shiftKey) return;
        event.preventDefault();
        navigate(path);
      }}
    >
      {label}
    </a>
  );
}
