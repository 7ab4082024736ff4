import type { ConversationState, WireConversation } from '../../shared/wire-types.js';
import { useNow } from '../use-now.js';
import { ConversationListItem } from './conversation-list-item.js';

const FILTERS: Array<{ state: ConversationState | null; label: string }> = [
  { state: null, label: 'All' },
  { state: 'waiting_for_person', label: 'Waiting' },
  { state: 'person', label: 'Person' },
  { state: 'agent', label: 'Agent' },
  { state: 'resolved', label: 'Resolved' },
];

interface ConversationListProps {
  conversations: WireConversation[] | null;
  error: string | null;
  filter: ConversationState | null;
  onFilterChange: (filter: ConversationState | null) => void;
  selectedId: string | null;
}

/** The left column: filters and conversations, in the order the server ranks them. */
export function ConversationList(props: ConversationListProps) {
  const { conversations, error, filter, onFilterChange, selectedId } = props;
  const now = useNow();

  return (
    <nav className="conversation-list" aria-label="Conversations">
      <div className="list-filters" role="group" aria-label="Show">
        {FILTERS.map((option) => (
          <button
            key={option.label}
            type="button"
            className={`filter ${filter === option.state ? 'active' : ''}`}
            aria-pressed={filter === option.state}
            data-testid={`filter-${option.state ?? 'all'}`}
            onClick={() => onFilterChange(option.state)}
          >
            {option.label}
          </button>
        ))}
      </div>
      {error && (
        <p className="list-error" role="alert">
          {error}
        </p>
      )}
      {conversations === null && !error && <p className="list-note">Loading conversations…</p>}
      {conversations?.length === 0 && (
        <p className="list-note" data-testid="conversation-list-empty">
          No conversations here yet.
        </p>
      )}
      <ul data-testid="conversation-list">
        {conversations?.map((conversation) => (
          <ConversationListItem
            key={conversation.id}
            conversation={conversation}
            selected={conversation.id === selectedId}
            now={now}
          />
        ))}
      </ul>
    </nav>
  );
}
