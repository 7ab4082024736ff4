import type { InboxConversation, Team } from '../api/inbox-api.js';
import { contactName, relativeTime } from '../format.js';
import { navigate } from '../router.js';
import { useSession } from '../session-context.js';
import { ChannelBadge, StateBadge } from './badges.js';
import { WaitingTimer } from './waiting-timer.js';

interface ConversationListItemProps {
  conversation: InboxConversation;
  selected: boolean;
  now: number;
  team: Team | null;
}

/** One row: who, where, who holds it, how long they wait, the last words, tags, unread. */
export function ConversationListItem(props: ConversationListItemProps) {
  const { conversation, selected, now, team } = props;
  const { user } = useSession();
  const href = `/conversations/${encodeURIComponent(conversation.id)}`;
  const waiting = conversation.state === 'waiting_for_person';
  const unread = conversation.unreadCount;
  const assignee = conversation.assignedUserId
    ? team?.members.find((member) => member.id === conversation.assignedUserId)
    : undefined;

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
          {conversation.waitingSince ? (
            <WaitingTimer
              since={conversation.waitingSince}
              targetMinutes={team?.responseTargetMinutes ?? 5}
              now={now}
            />
          ) : (
            <time className="item-time" dateTime={conversation.lastMessageAt}>
              {relativeTime(conversation.lastMessageAt, now)}
            </time>
          )}
        </div>
        <div className="item-preview">{conversation.lastMessagePreview || '—'}</div>
        <div className="item-bottom">
          <ChannelBadge channel={conversation.channel} />
          <StateBadge
            state={conversation.state}
            heldByViewer={conversation.assignedUserId === user.id}
          />
          {conversation.assignedUserId && (
            <span className="item-assignee" data-testid="item-assignee">
              {conversation.assignedUserId === user.id ? 'You' : (assignee?.name ?? 'Assigned')}
            </span>
          )}
          {conversation.tags.map((tag) => (
            <span key={tag} className="tag-chip" data-testid="item-tag">
              {tag}
            </span>
          ))}
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
