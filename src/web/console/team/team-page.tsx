import { useEffect, useState, type FormEvent } from 'react';
import '../components/inbox-pages.css';
import { ApiError } from '../api/api-error.js';
import { inboxApi, type Team } from '../api/inbox-api.js';

const REFRESH_MS = 15_000;

/** The owner's team: who can sign in, who is online now, and adding a staff member. */
export function TeamPage() {
  const [team, setTeam] = useState<Team | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [form, setForm] = useState({ name: '', email: '', password: '' });
  const [saving, setSaving] = useState(false);
  const [added, setAdded] = useState<string | null>(null);

  const load = () => inboxApi.team().then(setTeam, (cause: Error) => setError(cause.message));
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    setError(null);
    setAdded(null);
    try {
      const { user } = await inboxApi.addStaff(form);
      setAdded(`${user.name} can now sign in with ${user.email}.`);
      setForm({ name: '', email: '', password: '' });
      await load();
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : 'The member was not added.');
    } finally {
      setSaving(false);
    }
  };

  return (
    <main className="console-page inbox-admin-page">
      <h1>Team</h1>
      <p className="list-note">
        Conversations handed to a person go in turn to the staff who are online (the console open).
        Customers should get an answer within {team?.responseTargetMinutes ?? '…'} minutes
        (inbox.responseTargetMinutes in the business file).
      </p>
      {error && (
        <p className="list-error" role="alert">
          {error}
        </p>
      )}
      <ul className="team-members" data-testid="team-members">
        {team?.members.map((member) => (
          <li key={member.id} data-testid="team-member" data-online={member.online}>
            <span className={`presence-dot ${member.online ? 'online' : ''}`} aria-hidden="true" />
            <span className="member-name">{member.name}</span>
            <span className="member-email">{member.email}</span>
            <span className="member-role">{member.role === 'owner' ? 'Owner' : 'Staff'}</span>
            <span className="member-presence">{member.online ? 'Online' : 'Offline'}</span>
          </li>
        ))}
      </ul>
      <form className="admin-form" onSubmit={submit}>
        <h2>Add a staff member</h2>
        <label>
          Name
          <input
            data-testid="staff-name"
            required
            value={form.name}
            onChange={(event) => setForm({ ...form, name: event.target.value })}
          />
        </label>
        <label>
          E-mail
          <input
            data-testid="staff-email"
            type="email"
            required
            value={form.email}
            onChange={(event) => setForm({ ...form, email: event.target.value })}
          />
        </label>
        <label>
          First password (at least 10 characters; tell them to keep it safe)
          <input
            data-testid="staff-password"
            type="password"
            required
            minLength={10}
            value={form.password}
            onChange={(event) => setForm({ ...form, password: event.target.value })}
          />
        </label>
        <button type="submit" className="button primary" data-testid="staff-add" disabled={saving}>
          {saving ? 'Adding…' : 'Add staff member'}
        </button>
        {added && (
          <p className="list-note" role="status">
            {added}
          </p>
        )}
      </form>
    </main>
  );
}
