import type { ConversationState } from './conversation.js';

/**
 * Something changed that live views (console, widget) should show. Events carry ids only: a
 * listener re-reads the store, so a missed event never leaves a view wrong, only late.
 */
export type LiveEvent =
  | { type: 'message-created'; businessId: string; conversationId: string; seq: number }
  | { type: 'message-updated'; businessId: string; conversationId: string; messageId: string }
  | {
      type: 'conversation-updated';
      businessId: string;
      conversationId: string;
      state: ConversationState;
      /** Set when a person took over, handed back or resolved it (channels act on the thread). */
      holderChange?: { change: 'take-over' | 'hand-back' | 'resolve'; from: ConversationState };
    }
  | { type: 'turn-requested'; businessId: string; conversationId: string }
  | { type: 'outbox-enqueued'; businessId: string };

export type LiveEventListener = (event: LiveEvent) => void;

/** Publish/subscribe seam between processes' parts (in-process now; Postgres NOTIFY can follow). */
export interface LiveEvents {
  publish(event: LiveEvent): void;
  subscribe(listener: LiveEventListener): () => void;
}

/** Live events within one process. Several processes need a shared bus (Postgres NOTIFY). */
export function createInProcessLiveEvents(): LiveEvents {
  const listeners = new Set<LiveEventListener>();
  return {
    publish(event) {
      for (const listener of listeners) {
        try {
          listener(event);
        } catch {
          // A broken listener must not stop delivery to the others.
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
