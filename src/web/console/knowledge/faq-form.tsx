import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/api-error.js';

export interface FaqDraft {
  question: string;
  answer: string;
}

/**
 * One FAQ entry's form (adding or editing). The server validates; its messages are shown under
 * the field they are about, anything else above the buttons.
 */
export function FaqForm({
  initial,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  initial: FaqDraft;
  submitLabel: string;
  onSubmit: (draft: FaqDraft) => Promise<void>;
  onCancel?: () => void;
}) {
  const [draft, setDraft] = useState(initial);
  const [issues, setIssues] = useState<Record<string, string[]>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setIssues({});
    setError(null);
    try {
      await onSubmit(draft);
      if (!onCancel) setDraft({ question: '', answer: '' });
    } catch (cause) {
      const byField: Record<string, string[]> = {};
      const other: ApiError['issues'][number][] = [];
      for (const issue of cause instanceof ApiError ? cause.issues : []) {
        const field = issue.path.replace(/^body\./, '');
        if (field === 'question' || field === 'answer') {
          byField[field] = [...(byField[field] ?? []), issue.message];
        } else {
          other.push(issue);
        }
      }
      setIssues(byField);
      if (Object.keys(byField).length === 0 || other.length > 0) {
        setError((cause as Error).message);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="faq-form" onSubmit={(event) => void submit(event)} data-testid="faq-form">
      <label>
        Question
        <input
          value={draft.question}
          onChange={(event) => setDraft({ ...draft, question: event.target.value })}
          aria-invalid={issues.question ? true : undefined}
        />
      </label>
      <FieldMessages messages={issues.question ?? []} />
      <label>
        Answer
        <textarea
          rows={3}
          value={draft.answer}
          onChange={(event) => setDraft({ ...draft, answer: event.target.value })}
          aria-invalid={issues.answer ? true : undefined}
        />
      </label>
      <FieldMessages messages={issues.answer ?? []} />
      {error && (
        <p role="alert" className="knowledge-error">
          {error}
        </p>
      )}
      <div className="faq-form-buttons">
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : submitLabel}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

function FieldMessages({ messages }: { messages: readonly string[] }) {
  if (messages.length === 0) return null;
  return (
    <ul className="faq-field-issues" role="alert" data-testid="field-issue">
      {messages.map((message) => (
        <li key={message}>{message}</li>
      ))}
    </ul>
  );
}
