import type { ChannelEvent } from '../core/channel-event.js';
import type { InboxDependencies } from './inbox-dependencies.js';

type Echo = Extract<ChannelEvent, { kind: 'echo' }>;

/**
 * The business's own message, echoed by the provider. Parley's own sends are recognised (by the
 * id they carried) and only confirmed. Anything else was written from elsewhere (the Page inbox,
 * the WhatsApp Business app) and is recorded as the business's outbound message by a person: the
 * owner sees the whole thread, and the agent reads it as the business's side, never as the
 * customer's words.
 */
export async function recordBusinessEcho(
  deps: InboxDependencies,
  businessId: string,
  echo: Echo,
): Promise<void> {
  const { store, live } = deps;
  const own = echo.parleyMessageId
    ? await store.messages.getById(businessId, echo.parleyMessageId).catch(() => null)
    : null;
  if (own) {
    const changed = await store.channelMessages.advanceStatus(businessId, own.id, 'sent', {
      channelMessageId: echo.channelMessageId,
    });
    if (changed) {
      live.publish({
        type: 'message-updated',
        businessId,
        conversationId: own.conversationId,
        messageId: own.id,
      });
    }
    return;
  }
  const known = await store.channelMessages.findByChannelMessageId(
    businessId,
    echo.channel,
    echo.channelMessageId,
  );
  if (known) return;

  const recorded = await store.transaction(async (tx) => {
    const contact = await tx.contacts.findOrCreateByIdentity(
      businessId,
      { channel: echo.channel, externalId: echo.recipientId },
      {},
    );
    const conversation = await tx.conversations.findOrOpen(businessId, contact.id, echo.channel);
    const { message, duplicate } = await tx.messages.insert({
      businessId,
      conversationId: conversation.id,
      channel: echo.channel,
      direction: 'outbound',
      author: 'person',
      parts: echo.parts,
      channelMessageId: echo.channelMessageId,
      status: 'sent',
    });
    if (duplicate) return null;
    return tx.conversations.noteMessage(businessId, conversation.id, message).then((updated) => ({
      message,
      conversation: updated,
    }));
  });
  if (!recorded) return;
  live.publish({
    type: 'message-created',
    businessId,
    conversationId: recorded.conversation.id,
    seq: recorded.message.seq,
  });
  live.publish({
    type: 'conversation-updated',
    businessId,
    conversationId: recorded.conversation.id,
    state: recorded.conversation.state,
  });
}
