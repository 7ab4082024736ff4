import { useEffect, useState } from 'react';
import type {
  InboxConversation,
  InboxFilters,
  InboxView,
  Team,
  ViewCounts,
} from '../api/inbox-api.js';
import type { ChannelKind, ConversationState } from '../../shared/wire-types.js';
import { CHANNEL_LABELS } from '../format.js';
import { useNow } from '../use-now.js';
import { ConversationListItem } from './conversation-list-item.js';

const VIEWS: Array<{ view: InboxView; label: string; hint: string }> = [
  { view: 'all', label: 'All', hint: 'Every conversation' },
  { view: 'waiting', label: 'Waiting', hint: 'Handed off, nobody has taken it yet' },
  { view: 'mine', label: 'Mine', hint: 'Assigned to you' },
  { view: 'unassigned', label: 'Unassigned', hint: 'Needs a person, nobody assigned' },
];

const STATES: Array<{ state: ConversationState; label: string }> = [
  { state: 'waiting_for_person', label: 'Waiting for a person' },
  { state: 'person', label: 'With a person' },
  { state: 'agent', label: 'With the agent' },
  { state: 'resolved', label: 'Resolved' },
];

interface ConversationListProps {
  conversations: InboxConversation[] | null;
  counts: ViewCounts | null;
  error: string | null;
  filters: InboxFilters;
  onFiltersChange: (filters: InboxFilters) => void;
  tags: string[];
  team: Team | null;
  selectedId: string | null;
}

/** The left column: views with counts, search and filters, then conversations as ranked. */
export function ConversationList(props: ConversationListProps) {
  const { conversations, counts, error, filters, onFiltersChange, selectedId, team } = props;
  const now = useNow(1_000);
  const [search, setSearch] = useState(filters.search);

  // Search as the owner types, once they pause.
  useEffect(() => {
    if (search === filters.search) return;
    const timer = setTimeout(() => onFiltersChange({ ...filters, search }), 250);
    return () => clearTimeout(timer);
  }, [search, filters, onFiltersChange]);

  const set = (change: Partial<InboxFilters>) => onFiltersChange({ ...filters, ...change });

  return (
    <nav className="conversation-list" aria-label="Conversations">
      <div className="list-filters inbox-views" role="group" aria-label="Show">
        {VIEWS.map((option) => {
          const count = counts?.[option.view];
          return (
            <button
              key={option.view}
              type="button"
              title={option.hint}
              className={`filter ${filters.view === option.view ? 'active' : ''}`}
              aria-pressed={filters.view === option.view}
              data-testid={`view-${option.view}`}
              onClick={() => set({ view: option.view })}
            >
              {option.label}
              {count && count.unread > 0 && (
                <span
                  className="view-unread"
                  data-testid={`view-${option.view}-unread`}
                  aria-label={`${count.unread} unread`}
                >
                  {count.unread}
                </span>
              )}
            </button>
          );
        })}
      </div>
      <div className="inbox-search">
        <input
          type="search"
          aria-label="Search conversations"
          placeholder="Search messages, names, phone, e-mail"
          data-testid="inbox-search"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
        />
        <div className="inbox-selects">
          <select
            aria-label="Channel"
            data-testid="filter-channel"
            value={filters.channel ?? ''}
            onChange={(event) =>
              set({ channel: (event.target.value || null) as ChannelKind | null })
            }
          >
            <option value="">All channels</option>
            {(Object.keys(CHANNEL_LABELS) as ChannelKind[]).map((channel) => (
              <option key={channel} value={channel}>
                {CHANNEL_LABELS[channel]}
              </option>
            ))}
          </select>
          <select
            aria-label="Tag"
            data-testid="filter-tag"
            value={filters.tag ?? ''}
            onChange={(event) => set({ tag: event.target.value || null })}
          >
            <option value="">All tags</option>
            {props.tags.map((tag) => (
              <option key={tag} value={tag}>
                {tag}
              </option>
            ))}
          </select>
          <select
            aria-label="State"
            data-testid="filter-state"
            value={filters.state ?? ''}
            onChange={(event) =>
              set({ state: (event.target.value || null) as ConversationState | null })
            }
          >
            <option value="">Any state</option>
            {STATES.map((option) => (
              <option key={option.state} value={option.state}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      {error && (
        <p className="list-error" role="alert">
          {error}
        </p>
      )}
      {conversations === null && !error && <p className="list-note">Loading conversations…</p>}
      {conversations?.length === 0 && (
        <p className="list-note" data-testid="conversation-list-empty">
          {filters.search ||
          filters.tag ||
          filters.channel ||
          filters.state ||
          filters.view !== 'all'
            ? 'No conversation matches.'
            : 'No conversations here yet.'}
        </p>
      )}
      <ul data-testid="conversation-list">
        {conversations?.map((conversation) => (
          <ConversationListItem
            key={conversation.id}
            conversation={conversation}
            selected={conversation.id === selectedId}
            now={now}
            team={team}
          />
        ))}
      </ul>
    </nav>
  );
}
