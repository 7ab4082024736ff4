import { useEffect, useState, type FormEvent } from 'react';
import '../components/inbox-pages.css';
import { ApiError } from '../api/api-error.js';
import { inboxApi, type CannedReply } from '../api/inbox-api.js';

const EMPTY = { shortcut: '', title: '', body: '' };
const PLACEHOLDERS =
  '{{contact.name}}, {{contact.firstName}}, {{contact.phone}}, {{contact.email}}, {{business.name}}, {{user.name}}, {{user.firstName}}';

/** The owner's canned replies: the team inserts them with "/shortcut" in the reply box. */
export function CannedRepliesPage() {
  const [replies, setReplies] = useState<CannedReply[] | null>(null);
  const [draft, setDraft] = useState(EMPTY);
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const load = () =>
    inboxApi.listCannedReplies().then(
      (body) => setReplies(body.cannedReplies),
      (cause: Error) => setError(cause.message),
    );
  useEffect(() => {
    void load();
  }, []);

  const act = async (work: () => Promise<unknown>) => {
    setSaving(true);
    setError(null);
    try {
      await work();
      await load();
      return true;
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : 'That did not work. Try again.');
      return false;
    } finally {
      setSaving(false);
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await act(() =>
      editing ? inboxApi.updateCannedReply(editing, draft) : inboxApi.createCannedReply(draft),
    );
    if (ok) {
      setDraft(EMPTY);
      setEditing(null);
    }
  };

  return (
    <main className="console-page inbox-admin-page">
      <h1>Canned replies</h1>
      <p className="list-note">
        Your team types "/" and the shortcut in the reply box to insert one. Placeholders are filled
        in for each customer: {PLACEHOLDERS}. Give a fallback for a blank value like{' '}
        {'{{contact.firstName | there}}'}.
      </p>
      {error && (
        <p className="list-error" role="alert">
          {error}
        </p>
      )}
      <ul className="canned-list" data-testid="canned-list">
        {replies?.length === 0 && <li className="list-note">No canned replies yet.</li>}
        {replies?.map((reply) => (
          <li key={reply.id} data-testid="canned-row">
            <div>
              <strong>/{reply.shortcut}</strong> {reply.title}
            </div>
            <p>{reply.body}</p>
            <div className="row-actions">
              <button
                type="button"
                className="button subtle"
                onClick={() => {
                  setEditing(reply.id);
                  setDraft({ shortcut: reply.shortcut, title: reply.title, body: reply.body });
                }}
              >
                Edit
              </button>
              <button
                type="button"
                className="button subtle"
                disabled={saving}
                onClick={() => void act(() => inboxApi.deleteCannedReply(reply.id))}
              >
                Delete
              </button>
            </div>
          </li>
        ))}
      </ul>
      <form className="admin-form" onSubmit={submit}>
        <h2>{editing ? 'Edit the canned reply' : 'New canned reply'}</h2>
        <label>
          Shortcut (typed after "/")
          <input
            data-testid="canned-shortcut"
            required
            value={draft.shortcut}
            onChange={(event) => setDraft({ ...draft, shortcut: event.target.value })}
          />
        </label>
        <label>
          Title
          <input
            data-testid="canned-title"
            value={draft.title}
            onChange={(event) => setDraft({ ...draft, title: event.target.value })}
          />
        </label>
        <label>
          Text
          <textarea
            data-testid="canned-body"
            required
            rows={4}
            value={draft.body}
            onChange={(event) => setDraft({ ...draft, body: event.target.value })}
          />
        </label>
        <div className="row-actions">
          <button
            type="submit"
            className="button primary"
            data-testid="canned-save"
            disabled={saving}
          >
            {editing ? 'Save' : 'Add canned reply'}
          </button>
          {editing && (
            <button
              type="button"
              className="button subtle"
              onClick={() => {
                setEditing(null);
                setDraft(EMPTY);
              }}
            >
              Cancel
            </button>
          )}
        </div>
      </form>
    </main>
  );
}
