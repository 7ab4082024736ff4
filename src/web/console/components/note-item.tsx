import type { WireNote } from '../api/inbox-api.js';
import { messageTime } from '../format.js';

/** An internal note in the thread: set apart from messages, since the customer never sees it. */
export function NoteItem({ note, now }: { note: WireNote; now: number }) {
  return (
    <li
      className="note-item"
      data-testid="note-item"
      aria-label={`Internal note by ${note.authorName}`}
    >
      <div className="note-meta">
        <span className="note-label">Internal note</span>
        <span className="note-author" data-testid="note-author">
          {note.authorName}
        </span>
        <time dateTime={note.createdAt}>{messageTime(note.createdAt, now)}</time>
      </div>
      <p className="note-text">{note.text}</p>
    </li>
  );
}
