import { ParleyError, notFound } from '../core/errors.js';
import type { ConversationNote } from '../core/inbox-store.js';
import type { Actor, InboxDependencies } from './inbox-dependencies.js';

export const MAX_NOTE_LENGTH = 4000;

/**
 * An internal note for the team. It is stored apart from messages, so it is never sent to the
 * customer and never enters the model's window.
 */
export async function addConversationNote(
  deps: InboxDependencies,
  input: { businessId: string; conversationId: string; text: string; actor: Actor },
): Promise<ConversationNote> {
  const text = input.text.trim();
  if (text === '')
    throw new ParleyError('validation_failed', 'The note is empty. Write something to save.');
  if (text.length > MAX_NOTE_LENGTH) {
    throw new ParleyError(
      'validation_failed',
      `The note is ${text.length} characters; the limit is ${MAX_NOTE_LENGTH}. Shorten it.`,
    );
  }
  const conversation = await deps.store.conversations.getById(
    input.businessId,
    input.conversationId,
  );
  if (!conversation) throw notFound('Conversation');
  const note = await deps.store.conversationNotes.add({
    businessId: input.businessId,
    conversationId: conversation.id,
    authorUserId: input.actor.kind === 'user' ? input.actor.userId : null,
    authorName: input.actor.kind === 'user' ? input.actor.name : 'API key',
    text,
  });
  deps.live.publish({
    type: 'conversation-updated',
    businessId: input.businessId,
    conversationId: conversation.id,
    state: conversation.state,
  });
  return note;
}
