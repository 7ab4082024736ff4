import { z } from 'zod';
import { defineTool } from '../../core/agent-tool.js';
import { businessCurrency } from './business-currency.js';
import { cartView } from './cart-view.js';
import { priceCart } from './priced-cart.js';

/** The customer's own cart, priced from the catalog as it is now. */
export const viewCart = defineTool({
  name: 'view_cart',
  description:
    "Show the customer's cart: items, quantities, prices and total, read from the catalog now.",
  inputSchema: z.strictObject({}),
  async execute(_input, context) {
    const { store, scope } = context;
    const cart = await priceCart(
      store,
      scope.businessId,
      scope.contactId,
      await businessCurrency(context),
    );
    return cartView(cart);
  },
});
