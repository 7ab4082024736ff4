import { formatMoney } from '../../core/money.js';
import { lineName, type PricedCart } from './priced-cart.js';

/** The cart as the model reads it: formatted amounts it can quote, and what blocks each line. */
export function cartView(cart: PricedCart) {
  return {
    currency: cart.currency,
    lines: cart.lines.map((line) => ({
      variantId: line.variantId,
      item: lineName(line),
      quantity: line.quantity,
      unitPrice: formatMoney(line.unitPriceMinor, cart.currency),
      lineTotal: formatMoney(line.lineTotalMinor, cart.currency),
      ...(line.problem ? { problem: line.problem } : {}),
    })),
    total: formatMoney(cart.totalMinor, cart.currency),
  };
}
