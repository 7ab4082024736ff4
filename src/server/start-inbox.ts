import type { Logger } from 'pino';
import type { Clock } from '../core/clock.js';
import type { LiveEvents } from '../core/live-events.js';
import { createInProcessPresence, type Presence } from '../core/presence.js';
import type { Store } from '../core/store.js';
import { assignRoundRobin } from '../inbox/assign-round-robin.js';

/** A console without an open live stream counts as online this long after its last heartbeat. */
export const HEARTBEAT_WINDOW_MS = 60_000;

export interface TeamInbox {
  presence: Presence;
  stop(): void;
}

/**
 * The team inbox's background part: presence, and round-robin assignment of each conversation
 * that starts waiting for a person. Assignments run one at a time so two hand-offs in the same
 * moment go to two different people.
 */
export function startTeamInbox(deps: {
  store: Store;
  live: LiveEvents;
  clock: Clock;
  logger: Logger;
}): TeamInbox {
  const presence = createInProcessPresence(deps.clock, { heartbeatMs: HEARTBEAT_WINDOW_MS });
  let queue: Promise<unknown> = Promise.resolve();
  const unsubscribe = deps.live.subscribe((event) => {
    if (event.type !== 'conversation-updated' || event.state !== 'waiting_for_person') return;
    queue = queue
      .then(() =>
        assignRoundRobin(
          { ...deps, presence },
          { businessId: event.businessId, conversationId: event.conversationId },
        ),
      )
      .catch((error: unknown) =>
        deps.logger.error({ err: error }, 'round-robin assignment failed'),
      );
  });
  return {
    presence,
    stop() {
      unsubscribe();
    },
  };
}
