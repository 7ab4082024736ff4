import { z } from 'zod';
import { defineTool } from '../../core/agent-tool.js';
import { businessCurrency } from './business-currency.js';
import { cartView } from './cart-view.js';
import { priceCart } from './priced-cart.js';

/** Takes a variant out of the customer's own cart, or lowers its quantity. */
export const removeFromCart = defineTool({
  name: 'remove_from_cart',
  description: "Remove an item from the customer's cart, or lower how many of it are in the cart.",
  inputSchema: z.strictObject({
    variantId: z.uuid().describe('The variant to remove (as view_cart lists it).'),
    quantity: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .optional()
      .describe('How many units to take out; all of them when left out.'),
  }),
  async execute({ variantId, quantity }, context) {
    const { store, scope } = context;
    const lines = await store.carts.lines(scope.businessId, scope.contactId);
    const current = lines.find((line) => line.variantId === variantId)?.quantity ?? 0;
    const left = quantity === undefined ? 0 : Math.max(0, current - quantity);
    if (current > 0) {
      await store.carts.setQuantity(scope.businessId, scope.contactId, variantId, left);
    }
    const cart = await priceCart(
      store,
      scope.businessId,
      scope.contactId,
      await businessCurrency(context),
    );
    return { removed: current > 0, cart: cartView(cart) };
  },
});
