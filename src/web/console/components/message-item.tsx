import type { MessageAuthor, WireMessage } from '../../shared/wire-types.js';
import { messageTime } from '../format.js';
import { useSession } from '../session-context.js';
import { MessagePartView } from './message-part-view.js';

/** One message: who wrote it, when, its parts (text, choices, media…) and a failed delivery's reason. */
export function MessageItem({ message, now }: { message: WireMessage; now: number }) {
  const { user } = useSession();
  const author = authorLabel(message.author, message.authorUserId === user.id);

  return (
    <li
      className={`message author-${message.author}`}
      data-testid="thread-message"
      data-author={message.author}
      data-message-id={message.id}
    >
      <div className="message-meta">
        <span className="message-author">{author}</span>
        <time dateTime={message.createdAt}>{messageTime(message.createdAt, now)}</time>
      </div>
      <div className="message-bubble">
        {message.parts.length > 0 ? (
          message.parts.map((part, index) => <MessagePartView key={index} part={part} />)
        ) : (
          <p>{message.text}</p>
        )}
      </div>
      {message.status === 'failed' && (
        <p className="message-failed" data-testid="message-failed">
          Not delivered{message.statusError ? `: ${message.statusError}` : ''}
        </p>
      )}
    </li>
  );
}

function authorLabel(author: MessageAuthor, byViewer: boolean): string {
  switch (author) {
    case 'customer':
      return 'Customer';
    case 'agent':
      return 'Agent';
    case 'person':
      return byViewer ? 'You' : 'Team member';
    case 'system':
      return 'System';
  }
}
