import type { WireConversation } from '../../shared/wire-types.js';
import { contactName, relativeTime } from '../format.js';
import { navigate } from '../router.js';
import { useSession } from '../session-context.js';
import { ChannelBadge, StateBadge } from './badges.js';

interface ConversationListItemProps {
  conversation: WireConversation;
  selected: boolean;
  now: number;
}

/** One row: who, where, who holds it, the last words, when, and how many are unread. */
export function ConversationListItem({ conversation, selected, now }: ConversationListItemProps) {
  const { user } = useSession();
  const href = `/conversations/${encodeURIComponent(conversation.id)}`;
  const waiting = conversation.state === 'waiting_for_person';
  const unread = conversation.unreadCount;

  return (
    <li>
      <a
        href={href}
        className={`conversation-item ${selected ? 'selected' : ''} ${waiting ? 'waiting' : ''} ${unread > 0 ? 'unread' : ''}`}
        aria-current={selected ? 'page' : undefined}
        data-testid="conversation-item"
        data-conversation-id={conversation.id}
        data-state={conversation.state}
        onClick={(event) => {
          if (event.metaKey || event.ctrlKey || event.shiftKey) return;
          event.preventDefault();
          navigate(href);
        }}
      >
        <div className="item-top">
          <span className="item-name">{contactName(conversation)}</span>
          <time className="item-time" dateTime={conversation.lastMessageAt}>
            {relativeTime(conversation.lastMessageAt, now)}
          </time>
        </div>
        <div className="item-preview">{conversation.lastMessagePreview || '—'}</div>
        <div className="item-bottom">
          <ChannelBadge channel={conversation.channel} />
          <StateBadge
            state={conversation.state}
            heldByViewer={conversation.assignedUserId === user.id}
          />
          {unread > 0 && (
            <span
              className="unread-count"
              data-testid="unread-count"
              aria-label={`${unread} unread`}
            >
              {unread}
            </span>
          )}
        </div>
      </a>
    </li>
  );
}
