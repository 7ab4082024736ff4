import type { ChannelEvent } from '../core/channel-event.js';
import type { InboxDependencies } from './inbox-dependencies.js';

type IdentityChange = Extract<ChannelEvent, { kind: 'identity-change' }>;

/**
 * The customer's id on the channel changed (WhatsApp `user_changed_number`,
 * `user_changed_user_id`): the contact keeps their history and follows to the new id; the old one
 * is released, since it may belong to someone else now. The owner sees a notice in the thread.
 */
export async function followIdentityChange(
  deps: InboxDependencies,
  businessId: string,
  change: IdentityChange,
): Promise<void> {
  const { store, live } = deps;
  const recorded = await store.transaction(async (tx) => {
    const contact = await tx.contactIdentities.move(
      businessId,
      change.channel,
      change.previousId,
      change.newId,
    );
    if (!contact) return null;
    if (change.attribute === 'phone') {
      await tx.contactIdentities.updateProfile(businessId, contact.id, {
        phone: `+${change.newId}`,
      });
    }
    const conversation = await tx.conversations.findOrOpen(businessId, contact.id, change.channel);
    const { message, duplicate } = await tx.messages.insert({
      businessId,
      conversationId: conversation.id,
      channel: change.channel,
      direction: 'inbound',
      author: 'system',
      parts: [{ type: 'notice', notice: 'identity-changed', text: change.text }],
      channelMessageId: change.channelMessageId,
      status: 'received',
    });
    if (duplicate) return null;
    const updated = await tx.conversations.noteMessage(businessId, conversation.id, message, {
      owesTurn: false,
    });
    return { message, conversation: updated };
  });
  if (!recorded) return;
  live.publish({
    type: 'message-created',
    businessId,
    conversationId: recorded.conversation.id,
    seq: recorded.message.seq,
  });
}
