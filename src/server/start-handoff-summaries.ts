import type { Logger } from 'pino';
import type { Clock } from '../core/clock.js';
import type { LiveEvents } from '../core/live-events.js';
import type { ModelBinding } from '../core/model.js';
import type { Store } from '../core/store.js';
import { summarizeHandoff } from '../inbox/summarize-handoff.js';

/**
 * Writes a takeover summary when a conversation is handed to a person (after the handoff's
 * transaction, so the customer's notice never waits for it), and tells the console it changed.
 */
export function startHandoffSummaries(deps: {
  store: Store;
  live: LiveEvents;
  clock: Clock;
  logger: Logger;
  summarizer: ModelBinding | null;
}): { stop(): Promise<void> } {
  const running = new Map<string, Promise<void>>();
  const unsubscribe = deps.live.subscribe((event) => {
    if (event.type !== 'conversation-updated' || event.state !== 'waiting_for_person') return;
    if (running.has(event.conversationId)) return;
    const work = summarizeHandoff(
      {
        store: deps.store,
        clock: deps.clock,
        summarizer: deps.summarizer,
        onModelError: (error) =>
          deps.logger.warn({ err: error }, 'summaries model failed; summarised from the facts'),
      },
      { businessId: event.businessId, conversationId: event.conversationId },
    )
      .then((result) => {
        // Only a new summary is news; republishing for an old one would wake this listener again.
        if (result?.created) {
          deps.live.publish({
            type: 'conversation-updated',
            businessId: event.businessId,
            conversationId: event.conversationId,
            state: 'waiting_for_person',
          });
        }
      })
      .catch((error: unknown) =>
        deps.logger.error({ err: error }, 'takeover summary could not be written'),
      )
      .finally(() => running.delete(event.conversationId));
    running.set(event.conversationId, work);
  });
  return {
    async stop() {
      unsubscribe();
      await Promise.all(running.values());
    },
  };
}
