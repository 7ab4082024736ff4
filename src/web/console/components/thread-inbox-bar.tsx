import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/api-error.js';
import { inboxApi, type InboxConversation, type Team } from '../api/inbox-api.js';
import { useNow } from '../use-now.js';
import { WaitingTimer } from './waiting-timer.js';

interface ThreadInboxBarProps {
  conversation: InboxConversation;
  team: Team | null;
  onChanged: () => void;
  onError: (message: string | null) => void;
}

/** Under the thread's header: who it is assigned to, its tags, and how long the customer waits. */
export function ThreadInboxBar({ conversation, team, onChanged, onError }: ThreadInboxBarProps) {
  const now = useNow(1_000);
  const [tag, setTag] = useState('');
  const [busy, setBusy] = useState(false);

  const act = async (work: () => Promise<unknown>) => {
    setBusy(true);
    onError(null);
    try {
      await work();
      onChanged();
    } catch (failure) {
      onError(failure instanceof ApiError ? failure.message : 'That did not work. Try again.');
    } finally {
      setBusy(false);
    }
  };

  const addTag = (event: FormEvent) => {
    event.preventDefault();
    if (tag.trim() === '') return;
    void act(async () => {
      await inboxApi.addTag(conversation.id, tag);
      setTag('');
    });
  };

  return (
    <div className="thread-inbox-bar" data-testid="thread-inbox-bar">
      <label className="assign-field">
        <span>Assigned to</span>
        <select
          data-testid="assign-select"
          value={conversation.assignedUserId ?? ''}
          disabled={busy || !team}
          onChange={(event) =>
            void act(() => inboxApi.assign(conversation.id, event.target.value || null))
          }
        >
          <option value="">Nobody</option>
          {team?.members.map((member) => (
            <option key={member.id} value={member.id}>
              {member.name}
              {member.online ? ' (online)' : ''}
            </option>
          ))}
        </select>
      </label>
      <div className="thread-tags" data-testid="thread-tags">
        {conversation.tags.map((name) => (
          <span key={name} className="tag-chip" data-testid="thread-tag">
            {name}
            <button
              type="button"
              className="tag-remove"
              aria-label={`Remove tag ${name}`}
              disabled={busy}
              onClick={() => void act(() => inboxApi.removeTag(conversation.id, name))}
            >
              ×
            </button>
          </span>
        ))}
        <form onSubmit={addTag} className="tag-add">
          <input
            aria-label="Add a tag"
            placeholder="Add tag"
            data-testid="tag-input"
            maxLength={40}
            value={tag}
            onChange={(event) => setTag(event.target.value)}
          />
        </form>
      </div>
      {conversation.waitingSince && (
        <WaitingTimer
          since={conversation.waitingSince}
          targetMinutes={team?.responseTargetMinutes ?? 5}
          now={now}
        />
      )}
    </div>
  );
}
