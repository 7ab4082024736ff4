import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { ApiError } from '../api/api-error.js';
import { consoleApi } from '../api/console-api.js';
import { inboxApi } from '../api/inbox-api.js';
import type { WireConversation } from '../../shared/wire-types.js';
import {
  CannedReplyPicker,
  matchingReplies,
  type FilledCannedReply,
} from './canned-reply-picker.js';

interface ReplyBoxProps {
  conversation: WireConversation;
  onSent: () => void;
  onError: (message: string | null) => void;
}

type Mode = 'reply' | 'note';

/**
 * The person's reply, or an internal note. Replying needs the conversation taken over; a note can
 * be written any time. "/" at the start opens the canned replies, filled in for this customer.
 */
export function ReplyBox({ conversation, onSent, onError }: ReplyBoxProps) {
  const [mode, setMode] = useState<Mode>('reply');
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const [pickerOpen, setPickerOpen] = useState(false);
  const [highlighted, setHighlighted] = useState(0);
  const [canned, setCanned] = useState<FilledCannedReply[] | null>(null);
  const [cannedError, setCannedError] = useState<string | null>(null);
  const replyEnabled = conversation.state === 'person';
  const enabled = mode === 'note' || replyEnabled;
  const input = useRef<HTMLTextAreaElement>(null);
  const wasEnabled = useRef(replyEnabled);

  // Right after taking over, the person's next move is to write: put the cursor there.
  useEffect(() => {
    if (replyEnabled && !wasEnabled.current) input.current?.focus();
    wasEnabled.current = replyEnabled;
  }, [replyEnabled]);

  const slash = mode === 'reply' && /^\/\S*$/.test(text) ? text.slice(1) : null;
  const showPicker = enabled && mode === 'reply' && (pickerOpen || slash !== null);
  const query = slash ?? '';

  useEffect(() => {
    if (!showPicker || canned) return;
    inboxApi.cannedRepliesFor(conversation.id).then(
      (body) => setCanned(body.cannedReplies),
      (failure: unknown) =>
        setCannedError(failure instanceof ApiError ? failure.message : 'Could not load them.'),
    );
  }, [showPicker, canned, conversation.id]);

  useEffect(() => setHighlighted(0), [query]);

  const pick = (reply: FilledCannedReply) => {
    setText(reply.text);
    setPickerOpen(false);
    input.current?.focus();
  };

  const send = async (event?: FormEvent) => {
    event?.preventDefault();
    const body = text.trim();
    if (!enabled || !body || sending) return;
    setSending(true);
    try {
      if (mode === 'note') await inboxApi.addNote(conversation.id, body);
      else await consoleApi.sendReply(conversation.id, body);
      setText('');
      onSent();
    } catch (failure) {
      onError(
        failure instanceof ApiError
          ? failure.message
          : `The ${mode === 'note' ? 'note was not saved' : 'reply was not sent'}. Try again.`,
      );
    } finally {
      setSending(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    const matches = showPicker && canned ? matchingReplies(canned, query) : [];
    if (matches.length > 0) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        setHighlighted((current) => (current + step + matches.length) % matches.length);
        return;
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        event.preventDefault();
        pick(matches[Math.min(highlighted, matches.length - 1)]!);
        return;
      }
    }
    if (event.key === 'Escape' && showPicker) {
      setPickerOpen(false);
      if (slash !== null) setText('');
      return;
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing)
      void send(event);
  };

  return (
    <form className={`reply-box mode-${mode}`} onSubmit={send}>
      <div className="reply-modes" role="group" aria-label="Write">
        <button
          type="button"
          className={`filter ${mode === 'reply' ? 'active' : ''}`}
          aria-pressed={mode === 'reply'}
          data-testid="mode-reply"
          onClick={() => setMode('reply')}
        >
          Reply
        </button>
        <button
          type="button"
          className={`filter ${mode === 'note' ? 'active' : ''}`}
          aria-pressed={mode === 'note'}
          data-testid="mode-note"
          onClick={() => setMode('note')}
        >
          Internal note
        </button>
        {mode === 'reply' && (
          <button
            type="button"
            className="filter"
            data-testid="canned-open"
            disabled={!replyEnabled}
            onClick={() => setPickerOpen((open) => !open)}
          >
            Canned replies
          </button>
        )}
      </div>
      {showPicker && (
        <CannedReplyPicker
          replies={canned}
          error={cannedError}
          query={query}
          highlighted={highlighted}
          onPick={pick}
        />
      )}
      <div className="reply-row">
        <label htmlFor="reply-input" className="visually-hidden">
          {mode === 'note' ? 'Internal note' : 'Reply'}
        </label>
        <textarea
          id="reply-input"
          ref={input}
          data-testid="reply-input"
          rows={2}
          disabled={!enabled}
          placeholder={
            mode === 'note'
              ? 'A note for the team; the customer never sees it.'
              : replyEnabled
                ? 'Write a reply… ("/" for canned replies, Shift+Enter for a new line)'
                : 'Take over to reply yourself.'
          }
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
        />
        <button
          type="submit"
          className="button primary"
          data-testid="reply-send"
          disabled={!enabled || sending || text.trim() === ''}
        >
          {sending ? 'Saving…' : mode === 'note' ? 'Add note' : 'Send'}
        </button>
      </div>
    </form>
  );
}
