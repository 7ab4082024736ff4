import type { Clock } from './clock.js';

/**
 * Who of a business's team is online: a signed-in user with an open live stream, or one whose
 * console sent a heartbeat within the window. Round-robin assignment asks it.
 */
export interface Presence {
  /** Marks the user online until the returned function is called (a live stream closing). */
  connect(businessId: string, userId: string): () => void;
  /** Marks the user online for the heartbeat window from now. */
  heartbeat(businessId: string, userId: string): void;
  /** The ids of the business's users online now. */
  online(businessId: string): string[];
}

/**
 * Presence within one process: a user connected to another Parley process looks offline here.
 * Several processes need a shared table or Postgres LISTEN/NOTIFY behind the same port.
 */
export function createInProcessPresence(clock: Clock, options: { heartbeatMs: number }): Presence {
  const streams = new Map<string, number>();
  const heartbeats = new Map<string, number>();
  const key = (businessId: string, userId: string) => `${businessId}/${userId}`;
  return {
    connect(businessId, userId) {
      const id = key(businessId, userId);
      streams.set(id, (streams.get(id) ?? 0) + 1);
      let open = true;
      return () => {
        if (!open) return;
        open = false;
        const left = (streams.get(id) ?? 1) - 1;
        if (left > 0) streams.set(id, left);
        else streams.delete(id);
      };
    },
    heartbeat(businessId, userId) {
      heartbeats.set(key(businessId, userId), clock.now().getTime());
    },
    online(businessId) {
      const prefix = `${businessId}/`;
      const since = clock.now().getTime() - options.heartbeatMs;
      const online = new Set<string>();
      for (const id of streams.keys())
        if (id.startsWith(prefix)) online.add(id.slice(prefix.length));
      for (const [id, at] of heartbeats) {
        if (at < since) heartbeats.delete(id);
        else if (id.startsWith(prefix)) online.add(id.slice(prefix.length));
      }
      return [...online];
    },
  };
}
