import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/api-error.js';
import { consoleApi, type Session } from '../api/console-api.js';

/** E-mail and password sign-in; shows the server's own words when it refuses (401, 429). */
export function LoginPage({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await consoleApi.login(email.trim(), password));
    } catch (failure) {
      setError(loginErrorText(failure));
      setBusy(false);
    }
  };

  return (
    <main className="login">
      <form className="login-card" onSubmit={submit} data-testid="login-form" noValidate>
        <div className="login-brand" aria-hidden="true">
          P
        </div>
        <h1>Sign in to Parley</h1>
        <p className="muted">Your conversations, live.</p>
        <label htmlFor="login-email">E-mail</label>
        <input
          id="login-email"
          data-testid="login-email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
        />
        <label htmlFor="login-password">Password</label>
        <input
          id="login-password"
          data-testid="login-password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
        {error && (
          <p className="form-error" role="alert" data-testid="login-error">
            {error}
          </p>
        )}
        <button
          type="submit"
          className="button primary"
          data-testid="login-submit"
          disabled={busy || !email || !password}
        >
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}

function loginErrorText(failure: unknown): string {
  if (!(failure instanceof ApiError)) return 'Signing in failed. Try again.';
  // The server's throttling message is shown as is; the wait is added only if it names none.
  if (failure.status === 429 && failure.retryAfterSeconds && !/\d/.test(failure.message)) {
    const minutes = Math.ceil(failure.retryAfterSeconds / 60);
    return `${failure.message} You can try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
  }
  return failure.message;
}
