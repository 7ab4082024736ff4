import type { Conversation } from '../core/conversation.js';
import type { Presence } from '../core/presence.js';
import type { InboxDependencies } from './inbox-dependencies.js';

/**
 * Gives a conversation that waits for a person to the online staff member who was given one
 * least recently. Nobody online: it stays unassigned, in the "waiting" view, for whoever comes.
 * Returns the assigned conversation, or null when nobody was assigned.
 */
export async function assignRoundRobin(
  deps: InboxDependencies & { presence: Presence },
  input: { businessId: string; conversationId: string },
): Promise<Conversation | null> {
  const conversation = await deps.store.conversations.getById(
    input.businessId,
    input.conversationId,
  );
  if (conversation?.state !== 'waiting_for_person' || conversation.assignedUserId) return null;
  const online = new Set(deps.presence.online(input.businessId));
  if (online.size === 0) return null;
  const staff = (await deps.store.users.list(input.businessId))
    .filter((user) => user.role === 'staff' && online.has(user.id))
    .map((user) => user.id);
  const next = await deps.store.inbox.leastRecentlyAssigned(input.businessId, staff);
  if (!next) return null;
  const assigned = await deps.store.transaction(async (tx) => {
    const moved = await tx.inbox.assignWaiting(
      input.businessId,
      conversation.id,
      next,
      deps.clock.now(),
    );
    if (moved) {
      await tx.audit.record({
        businessId: input.businessId,
        actorType: 'system',
        actorId: null,
        action: 'conversation.assigned',
        subjectType: 'conversation',
        subjectId: conversation.id,
        details: { userId: next, by: 'round-robin' },
      });
    }
    return moved;
  });
  if (assigned) {
    deps.live.publish({
      type: 'conversation-updated',
      businessId: input.businessId,
      conversationId: assigned.id,
      state: assigned.state,
    });
  }
  return assigned;
}
