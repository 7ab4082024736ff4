import type { CannedReply } from '../api/inbox-api.js';

export type FilledCannedReply = CannedReply & { text: string };

interface CannedReplyPickerProps {
  replies: FilledCannedReply[] | null;
  error: string | null;
  /** What follows "/" in the reply box; empty shows them all. */
  query: string;
  highlighted: number;
  onPick: (reply: FilledCannedReply) => void;
}

/** The canned replies whose shortcut or title matches what follows "/", filled for this thread. */
export function matchingReplies(replies: FilledCannedReply[], query: string): FilledCannedReply[] {
  const wanted = query.toLowerCase();
  return replies.filter(
    (reply) => reply.shortcut.startsWith(wanted) || reply.title.toLowerCase().includes(wanted),
  );
}

export function CannedReplyPicker(props: CannedReplyPickerProps) {
  const { replies, error, query, highlighted, onPick } = props;
  const matches = replies ? matchingReplies(replies, query) : [];
  return (
    <div
      className="canned-picker"
      role="listbox"
      aria-label="Canned replies"
      data-testid="canned-picker"
    >
      {error && <p className="list-error">{error}</p>}
      {!replies && !error && <p className="list-note">Loading canned replies…</p>}
      {replies && matches.length === 0 && (
        <p className="list-note">
          {replies.length === 0
            ? 'No canned replies yet. The owner adds them on the Canned replies page.'
            : `No canned reply matches "/${query}".`}
        </p>
      )}
      {matches.map((reply, index) => (
        <button
          key={reply.id}
          type="button"
          role="option"
          aria-selected={index === highlighted}
          className={`canned-option ${index === highlighted ? 'highlighted' : ''}`}
          data-testid="canned-option"
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => onPick(reply)}
        >
          <span className="canned-shortcut">/{reply.shortcut}</span>
          <span className="canned-title">{reply.title}</span>
          <span className="canned-preview">{reply.text}</span>
        </button>
      ))}
    </div>
  );
}
