import type { ChannelKind } from '../core/channel.js';
import type { Contact } from '../core/contact.js';
import type { Conversation } from '../core/conversation.js';
import type { Message, MessagePart } from '../core/message.js';
import { findOrCreateSender } from './find-or-create-sender.js';
import type { InboxDependencies } from './inbox-dependencies.js';

export interface InboundMessage {
  businessId: string;
  channel: ChannelKind;
  /** The sender's id on the channel (visitor id, WhatsApp id, PSID…). */
  senderId: string;
  senderProfile?: { displayName?: string | null; phone?: string | null; email?: string | null };
  parts: MessagePart[];
  /** The provider's message id, or the widget's client id: a redelivery has no second effect. */
  channelMessageId: string;
  /**
   * Other ids of the same sender on this channel (WhatsApp: the phone-based id beside the
   * business-scoped user id). A contact known by any of them is the one found; missing ids are
   * attached to it.
   */
  alternateSenderIds?: readonly string[];
  /** When the customer sent it (the provider's clock): opens the customer-service window. */
  sentAt?: Date;
  /** False for what needs no answer (a reaction, a deletion, standby traffic). Default true. */
  requestsTurn?: boolean;
}

export interface ReceivedMessage {
  message: Message;
  conversation: Conversation;
  contact: Contact;
  duplicate: boolean;
}

/**
 * Promise 3, "nothing lost": the message is committed (with its contact and conversation) before
 * the caller acknowledges it. The agent's turn happens later, from the stored row.
 */
export async function receiveCustomerMessage(
  deps: InboxDependencies,
  inbound: InboundMessage,
): Promise<ReceivedMessage> {
  const received = await deps.store
    .transaction(async (tx) => {
      const contact = await findOrCreateSender(tx, inbound);
      const open = await tx.conversations.findOrOpen(
        inbound.businessId,
        contact.id,
        inbound.channel,
      );
      const { message, duplicate } = await tx.messages.insert({
        businessId: inbound.businessId,
        conversationId: open.id,
        channel: inbound.channel,
        direction: 'inbound',
        author: 'customer',
        parts: inbound.parts,
        channelMessageId: inbound.channelMessageId,
        status: 'received',
      });
      if (duplicate) {
        const earlier = await tx.conversations.getById(inbound.businessId, message.conversationId);
        // Thrown to roll back: a redelivery after its conversation was resolved must not leave
        // behind the empty conversation `findOrOpen` just opened for it.
        throw new Redelivery({ message, conversation: earlier ?? open, contact, duplicate });
      }
      await tx.customerWindows.noteCustomerMessage(
        inbound.businessId,
        contact.id,
        inbound.channel,
        inbound.sentAt ?? deps.clock.now(),
      );
      const conversation = await tx.conversations.noteMessage(
        inbound.businessId,
        open.id,
        message,
        {
          owesTurn: inbound.requestsTurn !== false,
        },
      );
      return { message, conversation, contact, duplicate };
    })
    .catch((error: unknown) => {
      if (error instanceof Redelivery) return error.received;
      throw error;
    });

  if (!received.duplicate) {
    const { message, conversation } = received;
    deps.live.publish({
      type: 'message-created',
      businessId: inbound.businessId,
      conversationId: conversation.id,
      seq: message.seq,
    });
    deps.live.publish({
      type: 'conversation-updated',
      businessId: inbound.businessId,
      conversationId: conversation.id,
      state: conversation.state,
    });
    if (conversation.state === 'agent' && inbound.requestsTurn !== false) {
      deps.live.publish({
        type: 'turn-requested',
        businessId: inbound.businessId,
        conversationId: conversation.id,
      });
    }
  }
  return received;
}

/** Carries a redelivery's earlier message out of the transaction it rolls back. */
class Redelivery extends Error {
  constructor(readonly received: ReceivedMessage) {
    super('redelivered message');
  }
}
