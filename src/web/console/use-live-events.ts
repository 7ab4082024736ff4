import { useEffect, useRef } from 'react';
import type { ConversationState } from '../shared/wire-types.js';

export type ConsoleEvent =
  | { type: 'conversation-updated'; conversationId: string; state: ConversationState }
  | { type: 'message-created'; conversationId: string; seq: number };

interface LiveEventHandlers {
  onEvent: (event: ConsoleEvent) => void;
  /** Called when the stream (re)opens: events may have been missed while it was down. */
  onResync: () => void;
}

/**
 * Subscribes to `GET /api/events` for as long as the component lives. EventSource reconnects by
 * itself after a dropped connection; when the browser gives up (CLOSED, e.g. the server restarted
 * with an error status) the stream is reopened after a pause.
 */
export function useLiveEvents(handlers: LiveEventHandlers): void {
  const handlersRef = useRef(handlers);
  handlersRef.current = handlers;

  useEffect(() => {
    let source: EventSource | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let opened = false;
    let stopped = false;

    const dispatch = (type: ConsoleEvent['type']) => (event: MessageEvent<string>) => {
      try {
        const data = JSON.parse(event.data) as Record<string, unknown>;
        handlersRef.current.onEvent({ ...data, type } as ConsoleEvent);
      } catch {
        // A malformed event cannot be acted on; the next resync repairs the view.
      }
    };

    const open = () => {
      source = new EventSource('/api/events', { withCredentials: true });
      source.addEventListener('conversation-updated', dispatch('conversation-updated'));
      source.addEventListener('message-created', dispatch('message-created'));
      source.addEventListener('open', () => {
        if (opened) handlersRef.current.onResync();
        opened = true;
      });
      source.addEventListener('error', () => {
        if (source?.readyState !== EventSource.CLOSED || stopped) return;
        source.close();
        // A reload shows what changed meanwhile and, if the session expired, leads to /login.
        handlersRef.current.onResync();
        retryTimer = setTimeout(open, 5_000);
      });
    };
    open();

    return () => {
      stopped = true;
      clearTimeout(retryTimer);
      source?.close();
    };
  }, []);
}
