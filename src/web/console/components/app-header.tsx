import { useState } from 'react';
import { navigate } from '../router.js';
import { useSession } from '../session-context.js';

/** The business name, who is signed in, and the way out. */
export function AppHeader() {
  const { business, user, logout } = useSession();
  const [leaving, setLeaving] = useState(false);

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
