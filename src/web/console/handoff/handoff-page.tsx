import { useEffect, useState, type FormEvent } from 'react';
import './handoff.css';
import { ApiError } from '../api/api-error.js';
import { FieldIssues } from './field-issues.js';
import { handoffApi, type HandoffPolicyResponse } from './handoff-api.js';
import { fromDraft, issuesAt, toDraft, type PolicyDraft } from './policy-draft.js';
import { TRIGGER_CATALOGUE } from './trigger-catalogue.js';
import { TriggerFieldset } from './trigger-fieldset.js';

type Issue = { path: string; message: string };

/**
 * The owner's handoff policy: which triggers hand a conversation to a person, what each does, and
 * who is told. Saved over the business file's policy; the server validates and names each field.
 */
export function HandoffPage() {
  const [loaded, setLoaded] = useState<HandoffPolicyResponse | null>(null);
  const [draft, setDraft] = useState<PolicyDraft | null>(null);
  const [issues, setIssues] = useState<Issue[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);

  const apply = (response: HandoffPolicyResponse) => {
    setLoaded(response);
    setDraft(
      toDraft(response.policy ?? { triggers: {}, notifications: { email: [], whatsapp: null } }),
    );
  };

  useEffect(() => {
    handoffApi.getPolicy().then(apply, (cause: Error) => setError(cause.message));
  }, []);

  if (!draft || !loaded) {
    return (
      <main className="console-page handoff-page" aria-busy={!error}>
        <h1>Handoff</h1>
        <p className={error ? 'list-error' : 'list-note'} role={error ? 'alert' : undefined}>
          {error ?? 'Loading the policy…'}
        </p>
      </main>
    );
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    setSaved(false);
    setError(null);
    try {
      apply(await handoffApi.putPolicy(fromDraft(draft)));
      setIssues([]);
      setSaved(true);
    } catch (cause) {
      const apiError = cause instanceof ApiError ? cause : null;
      setIssues(apiError ? [...apiError.issues] : []);
      setError(
        apiError && apiError.issues.length > 0
          ? 'The policy was not saved. Fix the fields marked below.'
          : (cause as Error).message,
      );
    } finally {
      setSaving(false);
    }
  };

  const shownPaths = [
    ...TRIGGER_CATALOGUE.map((entry) => `triggers.${entry.key}`),
    'notifications.email',
    'notifications.whatsapp',
  ];
  const elsewhere = issues.filter(
    (issue) => !shownPaths.some((path) => issue.path === path || issue.path.startsWith(`${path}.`)),
  );

  return (
    <main className="console-page handoff-page">
      <form className="handoff-form" onSubmit={(event) => void submit(event)} noValidate>
        <header className="handoff-head">
          <div>
            <h1>Handoff</h1>
            <p className="muted" data-testid="policy-source">
              {loaded.source === 'console'
                ? `Edited here on ${new Date(loaded.updatedAt ?? '').toLocaleString()}; it overrides the business file.`
                : 'From the business file. Saving here overrides it.'}
            </p>
          </div>
          <button
            type="submit"
            className="button primary"
            disabled={saving}
            data-testid="policy-save"
          >
            {saving ? 'Saving…' : 'Save policy'}
          </button>
        </header>
        {error && (
          <div className="banner danger" role="alert" data-testid="policy-error">
            {error}
            <FieldIssues messages={elsewhere.map((issue) => `${issue.path}: ${issue.message}`)} />
          </div>
        )}
        {saved && (
          <div className="banner info" role="status" data-testid="policy-saved">
            Saved. New conversations and turns follow this policy from now on.
          </div>
        )}
        <section className="handoff-triggers" aria-label="Triggers">
          {TRIGGER_CATALOGUE.map((description) => (
            <TriggerFieldset
              key={description.key}
              description={description}
              trigger={draft.triggers[description.key]!}
              issues={issues}
              onChange={(trigger) =>
                setDraft({ ...draft, triggers: { ...draft.triggers, [description.key]: trigger } })
              }
            />
          ))}
        </section>
        <fieldset className="handoff-trigger" data-testid="notifications">
          <legend>Who is told</legend>
          <div className="handoff-setting">
            <label htmlFor="handoff-notify-email">E-mail addresses</label>
            <textarea
              id="handoff-notify-email"
              data-testid="notify-email"
              rows={2}
              value={draft.emailText}
              onChange={(event) => setDraft({ ...draft, emailText: event.target.value })}
            />
            <span className="muted handoff-hint">
              One per line; sent through the SMTP server of the business file.
            </span>
            <FieldIssues messages={issuesAt(issues, 'notifications.email')} />
          </div>
          <div className="handoff-setting">
            <label htmlFor="handoff-notify-whatsapp">Your WhatsApp number</label>
            <input
              id="handoff-notify-whatsapp"
              data-testid="notify-whatsapp"
              value={draft.whatsapp}
              placeholder="+447700900123"
              onChange={(event) => setDraft({ ...draft, whatsapp: event.target.value })}
            />
            <FieldIssues messages={issuesAt(issues, 'notifications.whatsapp')} />
          </div>
          <p className="muted handoff-hint" data-testid="notify-zendesk-hint">
            Zendesk ticket: a handoff by that trigger opens a ticket in your Zendesk, when the
            business file has a zendesk: section (otherwise it does nothing).
          </p>
        </fieldset>
      </form>
    </main>
  );
}
