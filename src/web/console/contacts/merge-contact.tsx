import { useState, type FormEvent } from 'react';
import { contactsApi, type PanelContact } from './contacts-api.js';
import { identityLabel } from './identity-label.js';

interface MergeContactProps {
  contact: PanelContact;
  onMerged: () => void;
}

/** Find the same person under another contact and merge it into this one, after a confirmation. */
export function MergeContact({ contact, onMerged }: MergeContactProps) {
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<PanelContact[] | null>(null);
  const [chosen, setChosen] = useState<PanelContact | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const search = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setChosen(null);
    try {
      const result = await contactsApi.search(query);
      setFound(result.contacts.filter((entry) => entry.id !== contact.id));
    } catch (cause) {
      setError((cause as Error).message);
    }
  };

  const merge = async () => {
    if (!chosen) return;
    setBusy(true);
    setError(null);
    try {
      await contactsApi.merge(contact.id, chosen.id);
      setChosen(null);
      setFound(null);
      setQuery('');
      onMerged();
    } catch (cause) {
      setError((cause as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="contact-merge">
      <form className="contact-merge-search" onSubmit={(event) => void search(event)}>
        <label htmlFor="contact-merge-query">Same person as…</label>
        <input
          id="contact-merge-query"
          data-testid="merge-search"
          value={query}
          placeholder="Name, phone, e-mail or channel id"
          onChange={(event) => setQuery(event.target.value)}
        />
        <button type="submit" className="button subtle" data-testid="merge-search-submit">
          Search
        </button>
      </form>
      {found && found.length === 0 && <p className="muted">No other contact matches.</p>}
      {found && found.length > 0 && !chosen && (
        <ul className="contact-merge-results">
          {found.map((candidate) => (
            <li key={candidate.id}>
              <button
                type="button"
                className="button subtle"
                data-testid="merge-candidate"
                onClick={() => setChosen(candidate)}
              >
                {candidate.displayName ?? candidate.phone ?? candidate.email ?? 'Unnamed'} ·{' '}
                {candidate.identities.map(identityLabel).join(', ')}
              </button>
            </li>
          ))}
        </ul>
      )}
      {chosen && (
        <div className="banner warning" role="alertdialog" data-testid="merge-confirm">
          <p>
            Merge{' '}
            <strong>{chosen.displayName ?? chosen.identities.map(identityLabel).join(', ')}</strong>{' '}
            into this contact? Its channel ids, conversations, orders, appointments, cart and lead
            move here and it is deleted. This cannot be undone.
          </p>
          <div className="contact-merge-actions">
            <button
              type="button"
              className="button primary"
              data-testid="merge-confirm-button"
              disabled={busy}
              onClick={() => void merge()}
            >
              {busy ? 'Merging…' : 'Merge'}
            </button>
            <button type="button" className="button subtle" onClick={() => setChosen(null)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {error && (
        <p className="list-error" role="alert" data-testid="merge-error">
          {error}
        </p>
      )}
    </div>
  );
}
