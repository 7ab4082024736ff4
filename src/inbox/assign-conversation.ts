import type { Conversation } from '../core/conversation.js';
import { ParleyError, notFound } from '../core/errors.js';
import type { Actor, InboxDependencies } from './inbox-dependencies.js';

/** Assigns the conversation to a user of the same business, or unassigns it (`userId` null). */
export async function assignConversation(
  deps: InboxDependencies,
  input: { businessId: string; conversationId: string; userId: string | null; actor: Actor },
): Promise<Conversation> {
  const conversation = await deps.store.transaction(async (tx) => {
    if (input.userId !== null && !(await tx.users.getById(input.businessId, input.userId))) {
      throw new ParleyError(
        'validation_failed',
        'There is no user with this id in your business. Pick someone from the team list.',
        { issues: [{ path: 'body.userId', message: 'not a user of this business' }] },
      );
    }
    const assigned = await tx.inbox.assign(input.businessId, input.conversationId, input.userId);
    if (!assigned) throw notFound('Conversation');
    await tx.audit.record({
      businessId: input.businessId,
      actorType: input.actor.kind === 'user' ? 'user' : 'api_key',
      actorId: input.actor.kind === 'user' ? input.actor.userId : input.actor.apiKeyId,
      action: input.userId ? 'conversation.assigned' : 'conversation.unassigned',
      subjectType: 'conversation',
      subjectId: input.conversationId,
      details: { userId: input.userId, by: 'hand' },
    });
    return assigned;
  });
  deps.live.publish({
    type: 'conversation-updated',
    businessId: input.businessId,
    conversationId: conversation.id,
    state: conversation.state,
  });
  return conversation;
}
