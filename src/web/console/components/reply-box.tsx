import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { ApiError } from '../api/api-error.js';
import { consoleApi } from '../api/console-api.js';
import type { WireConversation } from '../../shared/wire-types.js';

interface ReplyBoxProps {
  conversation: WireConversation;
  onSent: () => void;
  onError: (message: string | null) => void;
}

/** The owner's reply; only a person holding the conversation may write, so it is enabled then. */
export function ReplyBox({ conversation, onSent, onError }: ReplyBoxProps) {
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const enabled = conversation.state === 'person';
  const input = useRef<HTMLTextAreaElement>(null);
  const wasEnabled = useRef(enabled);

  // Right after taking over, the owner's next move is to write: put the cursor there.
  useEffect(() => {
    if (enabled && !wasEnabled.current) input.current?.focus();
    wasEnabled.current = enabled;
  }, [enabled]);

  const send = async (event?: FormEvent) => {
    event?.preventDefault();
    const body = text.trim();
    if (!enabled || !body || sending) return;
    setSending(true);
    try {
      await consoleApi.sendReply(conversation.id, body);
      setText('');
      onSent();
    } catch (failure) {
      onError(failure instanceof ApiError ? failure.message : 'The reply was not sent. Try again.');
    } finally {
      setSending(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing)
      void send(event);
  };

  return (
    <form className="reply-box" onSubmit={send}>
      <label htmlFor="reply-input" className="visually-hidden">
        Reply
      </label>
      <textarea
        id="reply-input"
        ref={input}
        data-testid="reply-input"
        rows={2}
        disabled={!enabled}
        placeholder={
          enabled ? 'Write a reply… (Shift+Enter for a new line)' : 'Take over to reply yourself.'
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
        {sending ? 'Sending…' : 'Send'}
      </button>
    </form>
  );
}
