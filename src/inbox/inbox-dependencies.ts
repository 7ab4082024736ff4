import type { Clock } from '../core/clock.js';
import type { LiveEvents } from '../core/live-events.js';
import type { Store } from '../core/store.js';

/** What the inbox use-cases need; the composition root builds one and passes it to each. */
export interface InboxDependencies {
  store: Store;
  live: LiveEvents;
  clock: Clock;
}

/** Who performs an owner-side action: a signed-in user, or an API key. */
export type Actor =
  { kind: 'user'; userId: string; name: string } | { kind: 'api_key'; apiKeyId: string };
