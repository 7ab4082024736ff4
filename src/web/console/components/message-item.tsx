import { textOfParts } from '../../../core/message.js';
import type { MessageAuthor, MessagePart, WireMessage } from '../../shared/wire-types.js';
import { messageTime } from '../format.js';
import { useSession } from '../session-context.js';

/** One message: who wrote it, when, and its parts (text, offered choices, a chosen reply). */
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
          message.parts.map((part, index) => <PartView key={index} part={part} />)
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

function PartView({ part }: { part: MessagePart }) {
  switch (part.type) {
    case 'text':
      return <p>{part.text}</p>;
    case 'choices':
      return (
        <ul className="chips" aria-label="Choices offered">
          {part.choices.map((choice) => (
            <li key={choice.id} className="chip" data-testid="choice-chip">
              {choice.title}
            </li>
          ))}
        </ul>
      );
    case 'choice-reply':
      return (
        <p>
          <span className="chip chosen" data-testid="choice-reply">
            {part.title}
          </span>
        </p>
      );
    default:
      // Media, locations, reactions, orders… from the messaging channels: their text form.
      return <p className="part-other">{textOfParts([part])}</p>;
  }
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
