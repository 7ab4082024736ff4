import { useState } from 'react';
import { FaqForm, type FaqDraft } from './faq-form.js';
import { knowledgeApi, type WireFaqEntry } from './knowledge-api.js';

/** Where an entry stands with the business file, in the owner's words. */
function originOf(entry: WireFaqEntry): string {
  if (entry.source === 'file') return 'From the business file';
  if (entry.fileQuestion !== null)
    return 'From the business file, edited here (the file no longer changes it)';
  return 'Added here';
}

/**
 * The FAQ: entries from the business file and those written here. Owners add, edit and delete;
 * an edit here wins over the file, and a file entry deleted here does not come back.
 */
export function FaqSection({
  entries,
  isOwner,
  onChanged,
}: {
  entries: readonly WireFaqEntry[];
  isOwner: boolean;
  onChanged: (notice: string) => void;
}) {
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const save = async (id: string, draft: FaqDraft) => {
    await knowledgeApi.editFaq(id, draft);
    setEditing(null);
    onChanged(`Saved "${draft.question.trim()}".`);
  };
  const add = async (draft: FaqDraft) => {
    await knowledgeApi.addFaq(draft);
    onChanged(`Added "${draft.question.trim()}".`);
  };
  const remove = async (entry: WireFaqEntry) => {
    if (!window.confirm(`Delete "${entry.question}"? The agent will no longer answer from it.`)) {
      return;
    }
    setError(null);
    try {
      await knowledgeApi.removeFaq(entry.id);
      onChanged(`Deleted "${entry.question}".`);
    } catch (cause) {
      setError((cause as Error).message);
    }
  };

  return (
    <section data-testid="faq-section">
      <h2>FAQ</h2>
      <p className="knowledge-intro">
        Entries come from the business file (under <code>faq:</code>) or are written here. An entry
        edited or deleted here stays that way when Parley restarts.
      </p>
      {error && (
        <p role="alert" className="knowledge-error">
          {error}
        </p>
      )}
      {entries.length === 0 ? (
        <p>No FAQ entries.</p>
      ) : (
        <dl className="knowledge-faq">
          {entries.map((entry) => (
            <div key={entry.id} data-testid="faq-entry">
              {editing === entry.id ? (
                <FaqForm
                  initial={{ question: entry.question, answer: entry.answer }}
                  submitLabel="Save"
                  onSubmit={(draft) => save(entry.id, draft)}
                  onCancel={() => setEditing(null)}
                />
              ) : (
                <>
                  <dt>{entry.question}</dt>
                  <dd>{entry.answer}</dd>
                  <dd className="faq-origin">{originOf(entry)}</dd>
                  {isOwner && (
                    <dd className="faq-actions">
                      <button type="button" onClick={() => setEditing(entry.id)}>
                        Edit
                      </button>
                      <button type="button" onClick={() => void remove(entry)}>
                        Delete
                      </button>
                    </dd>
                  )}
                </>
              )}
            </div>
          ))}
        </dl>
      )}
      {isOwner && (
        <>
          <h3>Add an entry</h3>
          <FaqForm initial={{ question: '', answer: '' }} submitLabel="Add" onSubmit={add} />
        </>
      )}
    </section>
  );
}
