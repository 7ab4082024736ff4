import type { Order } from '../../core/commerce.js';
import type { Message } from '../../core/message.js';
import { formatMoney } from '../../core/money.js';
import type { Store } from '../../core/store.js';

/** What the customer reads once their payment is confirmed; composed by Parley, not a model. */
export function paymentReceivedText(order: Order): string {
  return `Payment received for order #${order.number} (${formatMoney(order.totalMinor, order.currency)}), thank you! We'll get it ready and let you know as soon as it's on its way.`;
}

/**
 * Writes the payment confirmation into the order's conversation and its outbox row, inside the
 * caller's transaction: it leaves exactly when the order became paid, never on a redelivery.
 * An order placed outside a conversation (none recorded) gets no message.
 */
export async function queuePaymentReceivedMessage(
  tx: Store,
  order: Order,
  at: Date,
): Promise<Message | null> {
  if (!order.conversationId) return null;
  const conversation = await tx.conversations.getById(order.businessId, order.conversationId);
  if (!conversation || conversation.contactId !== order.contactId) return null;
  const { message } = await tx.messages.insert({
    businessId: order.businessId,
    conversationId: conversation.id,
    channel: conversation.channel,
    direction: 'outbound',
    author: 'system',
    parts: [{ type: 'text', text: paymentReceivedText(order) }],
    status: 'pending',
  });
  await tx.outbox.enqueue({
    businessId: order.businessId,
    messageId: message.id,
    conversationId: conversation.id,
    channel: conversation.channel,
    at,
  });
  await tx.conversations.noteMessage(order.businessId, conversation.id, message);
  return message;
}
