import { z } from 'zod';
import { defineTool } from '../../core/agent-tool.js';
import { formatMoney } from '../../core/money.js';
import { refuse } from '../refuse.js';
import { businessCurrency } from './business-currency.js';
import { ORDER_LIMITS } from './order-limits.js';
import { composeOrderSummary } from './order-summary.js';
import { priceCart } from './priced-cart.js';

const TOOL = 'place_order';

/** What a proposed order carries until the customer confirms it; re-checked at that moment. */
export interface PlaceOrderPayload extends Record<string, unknown> {
  currency: string;
  lines: Array<{ variantId: string; quantity: number; unitPriceMinor: number }>;
  totalMinor: number;
}

/**
 * Proposes an order of the customer's cart. Nothing is ordered here: Parley sends the customer a
 * summary it composed with a Confirm button, and places the order only when the customer's next
 * message confirms it.
 */
export const placeOrder = defineTool({
  name: TOOL,
  description:
    'Ask the customer to confirm an order of everything in their cart. Parley sends them the order summary with a Confirm button; the order is placed only if they confirm. Do not tell them the order is placed: tell them to check the summary and confirm.',
  inputSchema: z.strictObject({}),
  async execute(_input, context) {
    const { store, scope, clock } = context;
    const currency = await businessCurrency(context);
    const cart = await priceCart(store, scope.businessId, scope.contactId, currency);
    if (cart.lines.length === 0) {
      return refuse(context, TOOL, 'validation_failed', 'The cart is empty: add items first.');
    }
    const blocked = cart.lines.filter((line) => line.problem !== null);
    if (blocked.length > 0) {
      return refuse(
        context,
        TOOL,
        'conflict',
        `Some items cannot be ordered as they are: ${blocked
          .map((line) => `${line.productTitle} (${line.variantTitle}): ${line.problem}`)
          .join('; ')}. Change the cart first.`,
      );
    }
    if (cart.totalMinor > ORDER_LIMITS.maxOrderTotalMinor) {
      return refuse(
        context,
        TOOL,
        'validation_failed',
        `Orders above ${formatMoney(ORDER_LIMITS.maxOrderTotalMinor, currency)} go through a person: call request_human.`,
        { totalMinor: cart.totalMinor },
      );
    }
    const payload: PlaceOrderPayload = {
      currency,
      lines: cart.lines.map((line) => ({
        variantId: line.variantId,
        quantity: line.quantity,
        unitPriceMinor: line.unitPriceMinor,
      })),
      totalMinor: cart.totalMinor,
    };
    const summary = composeOrderSummary(cart.lines, cart.totalMinor, currency);
    const action = await store.pendingActions.propose({
      businessId: scope.businessId,
      contactId: scope.contactId,
      conversationId: scope.conversationId,
      kind: 'place_order',
      payload,
      summary,
      expiresAt: new Date(clock.now().getTime() + ORDER_LIMITS.confirmationTtlMs),
    });
    return {
      status: 'awaiting_customer_confirmation',
      confirmationId: action.id,
      total: formatMoney(cart.totalMinor, currency),
      note: 'Parley sends the customer this summary with a Confirm button after your reply. The order is NOT placed yet; ask them to check and confirm.',
    };
  },
});
