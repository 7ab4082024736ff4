import { z } from 'zod';
import { defineTool } from '../../core/agent-tool.js';
import type { Order } from '../../core/commerce.js';
import { formatMoney } from '../../core/money.js';
import { refuse } from '../refuse.js';
import { lineName } from './priced-cart.js';

const TOOL = 'order_status';

const STATUS_TEXT: Record<Order['status'], string> = {
  pending_payment: 'waiting for payment',
  paid: 'paid, being prepared',
  fulfilled: 'sent or collected',
  cancelled: 'cancelled',
};

/** The customer's own orders: one by number, or their most recent ones. */
export const orderStatus = defineTool({
  name: TOOL,
  description:
    "Look up the customer's own orders: the one with this order number, or their latest orders when no number is given. Other people's orders cannot be seen.",
  inputSchema: z.strictObject({
    orderNumber: z
      .number()
      .int()
      .min(1)
      .max(2_147_483_647)
      .optional()
      .describe('The order number the customer gave, e.g. 1042.'),
  }),
  async execute({ orderNumber }, context) {
    const { store, scope } = context;
    if (orderNumber !== undefined) {
      const order = await store.orders.getForContact(
        scope.businessId,
        scope.contactId,
        orderNumber,
      );
      if (!order) {
        return refuse(
          context,
          TOOL,
          'not_found',
          `This customer has no order ${orderNumber}. Ask them to check the number; orders of other customers are never shown.`,
          { orderNumber },
        );
      }
      return { orders: [describeOrder(order)] };
    }
    const orders = await store.orders.listForContact(scope.businessId, scope.contactId, 3);
    return orders.length === 0
      ? { orders: [], note: 'This customer has no orders yet.' }
      : { orders: orders.map(describeOrder) };
  },
});

function describeOrder(order: Order) {
  return {
    orderNumber: order.number,
    status: STATUS_TEXT[order.status],
    placedOn: order.createdAt.toISOString(),
    total: formatMoney(order.totalMinor, order.currency),
    items: order.lines.map(
      (line) =>
        `${line.quantity} × ${lineName(line)}: ${formatMoney(line.lineTotalMinor, order.currency)}`,
    ),
    ...(order.status === 'pending_payment' && order.paymentUrl
      ? { paymentLink: order.paymentUrl }
      : {}),
  };
}
