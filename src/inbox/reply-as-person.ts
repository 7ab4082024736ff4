import { ParleyError, notFound } from '../core/errors.js';
import type { Message } from '../core/message.js';
import type { Actor, InboxDependencies } from './inbox-dependencies.js';

export const MAX_REPLY_LENGTH = 4096;

/** A person's reply to the customer; allowed only while a person holds the conversation. */
export async function replyAsPerson(
  deps: InboxDependencies,
  input: { businessId: string; conversationId: string; text: string; actor: Actor },
): Promise<Message> {
  const text = input.text.trim();
  if (text === '')
    throw new ParleyError('validation_failed', 'The reply is empty. Write something to send.');
  if (text.length > MAX_REPLY_LENGTH) {
    throw new ParleyError(
      'validation_failed',
      `The reply is ${text.length} characters; the limit is ${MAX_REPLY_LENGTH}. Split it into several messages.`,
    );
  }
  const message = await deps.store.transaction(async (tx) => {
    const conversation = await tx.conversations.getForUpdate(
      input.businessId,
      input.conversationId,
    );
    if (!conversation) throw notFound('Conversation');
    if (conversation.state !== 'person') {
      throw new ParleyError(
        'conflict',
        'Take over the conversation before replying: while the agent holds it, it answers the customer.',
      );
    }
    const { message: inserted } = await tx.messages.insert({
      businessId: input.businessId,
      conversationId: conversation.id,
      channel: conversation.channel,
      direction: 'outbound',
      author: 'person',
      authorUserId: input.actor.kind === 'user' ? input.actor.userId : null,
      parts: [{ type: 'text', text }],
      status: 'pending',
    });
    await tx.outbox.enqueue({
      businessId: input.businessId,
      messageId: inserted.id,
      conversationId: conversation.id,
      channel: conversation.channel,
      at: deps.clock.now(),
    });
    await tx.conversations.noteMessage(input.businessId, conversation.id, inserted);
    await tx.conversations.markRead(input.businessId, conversation.id);
    return inserted;
  });
  deps.live.publish({
    type: 'message-created',
    businessId: input.businessId,
    conversationId: input.conversationId,
    seq: message.seq,
  });
  deps.live.publish({ type: 'outbox-enqueued', businessId: input.businessId });
  return message;
}
