import type { Clock } from '../../core/clock.js';
import type { Order } from '../../core/commerce.js';
import type { LiveEvents } from '../../core/live-events.js';
import type { Message } from '../../core/message.js';
import type { PaymentEvent } from '../../core/payments.js';
import type { Store } from '../../core/store.js';
import { queuePaymentReceivedMessage } from './payment-received-message.js';

/**
 * Moves an order on from a payment event verified with `businessId`'s signing secret: paid →
 * `paid`, and the customer is told on their channel through the outbox, in the same transaction;
 * an expired checkout cancels a still-unpaid order and puts its stock back. Only that business's
 * orders are looked at, and an event whose checkout names another business is refused and
 * audited, so one business's webhook secret can never move another business's order. Redelivered
 * events change nothing and send nothing (compare-and-set on the order's status). Returns the
 * order as it now is, or null when the event is not for one of this business's orders.
 */
export async function applyPaymentEvent(
  deps: { store: Store; clock: Clock; live?: LiveEvents | undefined },
  businessId: string,
  provider: string,
  event: PaymentEvent,
): Promise<{ order: Order; changed: boolean; customerNotice?: Message | null } | null> {
  if (event.kind === 'ignored') return null;
  const { store, clock } = deps;
  const applied = await store.transaction(async (tx) => {
    if (event.businessId !== null && event.businessId !== businessId) {
      await tx.audit.record({
        businessId,
        actorType: 'system',
        actorId: null,
        action: 'payment.foreign-event',
        subjectType: 'payment_session',
        subjectId: null,
        details: {
          provider,
          sessionId: event.sessionId.slice(0, 200),
          eventId: event.eventId.slice(0, 200),
          claimedBusinessId: event.businessId.slice(0, 64),
        },
      });
      return null;
    }
    const order = await tx.orders.findByPaymentSession(businessId, provider, event.sessionId);
    if (!order) return null;
    const at = clock.now();
    const moved =
      event.kind === 'checkout-paid'
        ? await tx.orders.transition(order.businessId, order.id, {
            from: ['pending_payment'],
            to: 'paid',
            at,
          })
        : await tx.orders.transition(order.businessId, order.id, {
            from: ['pending_payment'],
            to: 'cancelled',
            at,
          });
    if (!moved) {
      if (event.kind === 'checkout-paid' && order.status === 'cancelled') {
        // Money arrived for an order Parley had cancelled (its stock is back on sale): a person
        // must decide between refunding and fulfilling.
        await tx.audit.record({
          businessId: order.businessId,
          actorType: 'system',
          actorId: null,
          action: 'order.paid-after-cancel',
          subjectType: 'order',
          subjectId: order.id,
          details: { provider, sessionId: event.sessionId, eventId: event.eventId },
        });
      }
      return { order, changed: false };
    }
    if (event.kind === 'checkout-expired') {
      for (const line of order.lines) {
        if (line.variantId)
          await tx.catalog.returnStock(order.businessId, line.variantId, line.quantity);
      }
    }
    await tx.audit.record({
      businessId: order.businessId,
      actorType: 'system',
      actorId: null,
      action: event.kind === 'checkout-paid' ? 'order.paid' : 'order.payment-expired',
      subjectType: 'order',
      subjectId: order.id,
      details: {
        provider,
        sessionId: event.sessionId,
        eventId: event.eventId,
        number: order.number,
      },
    });
    const customerNotice =
      event.kind === 'checkout-paid' ? await queuePaymentReceivedMessage(tx, moved, at) : null;
    return { order: moved, changed: true, customerNotice };
  });
  const notice = applied?.customerNotice;
  if (notice && deps.live) {
    deps.live.publish({
      type: 'message-created',
      businessId: notice.businessId,
      conversationId: notice.conversationId,
      seq: notice.seq,
    });
    deps.live.publish({ type: 'outbox-enqueued', businessId: notice.businessId });
  }
  return applied;
}
