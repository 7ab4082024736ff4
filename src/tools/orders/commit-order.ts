import type { PendingAction } from '../../core/commerce.js';
import { formatMoney } from '../../core/money.js';
import type { ActionDependencies, ActionOutcome } from '../confirmations/action-dependencies.js';
import type { PlaceOrderPayload } from './place-order.js';
import { lineName, pricedLine, type PricedLine } from './priced-cart.js';

class OrderRefused extends Error {}

/**
 * Places a confirmed order: the catalog is read again, prices must still be what the customer
 * confirmed, and stock is taken in the same transaction that creates the order, so the order,
 * the stock and the action's state change together or not at all. The payment link is asked for
 * after the commit (a network call never holds a transaction open).
 */
export async function commitOrder(
  deps: ActionDependencies,
  action: PendingAction,
): Promise<ActionOutcome | null> {
  const { store } = deps;
  const payload = action.payload as PlaceOrderPayload;
  let placed;
  try {
    placed = await store.transaction(async (tx) => {
      const won = await tx.pendingActions.settle(action.businessId, action.id, 'confirmed', null);
      if (!won) return null;
      const variants = new Map(
        (
          await tx.catalog.getVariants(
            action.businessId,
            payload.lines.map((line) => line.variantId),
          )
        ).map((entry) => [entry.variant.id, entry]),
      );
      const lines: PricedLine[] = payload.lines.map((wanted) => {
        const entry = variants.get(wanted.variantId);
        if (!entry) throw new OrderRefused('an item is no longer in the catalog');
        const line = pricedLine(entry, wanted.quantity);
        if (line.unitPriceMinor !== wanted.unitPriceMinor) {
          throw new OrderRefused(`the price of ${lineName(line)} has changed`);
        }
        if (line.problem) throw new OrderRefused(`${lineName(line)} is ${line.problem}`);
        return line;
      });
      for (const line of lines) {
        if (!(await tx.catalog.takeStock(action.businessId, line.variantId, line.quantity))) {
          throw new OrderRefused(`${lineName(line)} has just sold out`);
        }
      }
      const order = await tx.orders.create({
        businessId: action.businessId,
        contactId: action.contactId,
        conversationId: action.conversationId,
        currency: payload.currency,
        lines: lines.map((line) => ({
          variantId: line.variantId,
          productTitle: line.productTitle,
          variantTitle: line.variantTitle,
          sku: line.sku,
          unitPriceMinor: line.unitPriceMinor,
          quantity: line.quantity,
          lineTotalMinor: line.lineTotalMinor,
        })),
      });
      await tx.carts.clear(action.businessId, action.contactId);
      await tx.audit.record({
        businessId: action.businessId,
        actorType: 'system',
        actorId: null,
        action: 'order.placed',
        subjectType: 'order',
        subjectId: order.id,
        details: {
          number: order.number,
          totalMinor: order.totalMinor,
          confirmationId: action.id,
          contactId: action.contactId,
        },
      });
      return order;
    });
  } catch (error) {
    if (!(error instanceof OrderRefused)) throw error;
    await store.pendingActions.settle(action.businessId, action.id, 'failed', {
      reason: error.message,
    });
    return {
      status: 'failed',
      text: `Sorry, I couldn't place the order: ${error.message}. Your cart is unchanged; have a look and we can try again.`,
      handoffReason: null,
      result: { reason: error.message },
    };
  }
  if (!placed) return null;

  const total = formatMoney(placed.totalMinor, placed.currency);
  const payments = deps.paymentsFor(action.businessId);
  if (!payments) {
    return {
      status: 'confirmed',
      text: `Thank you! Order ${placed.number} is placed. Total: ${total}. We'll be in touch about payment.`,
      handoffReason: null,
      result: { orderId: placed.id, orderNumber: placed.number },
    };
  }
  try {
    const session = await payments.createCheckout({
      businessId: placed.businessId,
      orderId: placed.id,
      orderNumber: placed.number,
      currency: placed.currency,
      lines: placed.lines.map((line) => ({
        name: lineName(line),
        unitAmountMinor: line.unitPriceMinor,
        quantity: line.quantity,
      })),
      idempotencyKey: `order-${placed.id}`,
    });
    await store.orders.attachPayment(placed.businessId, placed.id, {
      provider: session.provider,
      sessionId: session.sessionId,
      url: session.url,
    });
    return {
      status: 'confirmed',
      text: `Thank you! Order ${placed.number} is placed. Total: ${total}.\nPay securely here: ${session.url}`,
      handoffReason: null,
      result: {
        orderId: placed.id,
        orderNumber: placed.number,
        paymentSessionId: session.sessionId,
      },
    };
  } catch (error) {
    await store.audit.record({
      businessId: placed.businessId,
      actorType: 'system',
      actorId: null,
      action: 'payment.link-failed',
      subjectType: 'order',
      subjectId: placed.id,
      details: { error: error instanceof Error ? error.message : String(error) },
    });
    return {
      status: 'confirmed',
      text: `Thank you! Order ${placed.number} is placed. Total: ${total}. I couldn't create the payment link just now, so a person from the shop will send it to you here.`,
      handoffReason: `payment link for order ${placed.number} could not be created`,
      result: { orderId: placed.id, orderNumber: placed.number },
    };
  }
}
