import { z } from 'zod';
import { defineTool } from '../../core/agent-tool.js';
import { refuse } from '../refuse.js';
import { businessCurrency } from './business-currency.js';
import { cartView } from './cart-view.js';
import { ORDER_LIMITS } from './order-limits.js';
import { priceCart } from './priced-cart.js';

const TOOL = 'add_to_cart';

/** Adds units of a variant to the customer's own cart; the price always comes from the catalog. */
export const addToCart = defineTool({
  name: TOOL,
  description:
    "Add a product variant to the customer's cart. Use the variantId from search_products or get_product. Prices come from the catalog; you never set them.",
  inputSchema: z.strictObject({
    variantId: z.uuid().describe('The variant to add (from search_products or get_product).'),
    quantity: z
      .number()
      .int()
      .min(1)
      .max(ORDER_LIMITS.maxLineQuantity)
      .default(1)
      .describe('How many units to add.'),
  }),
  async execute({ variantId, quantity }, context) {
    const { store, scope } = context;
    const [entry] = await store.catalog.getVariants(scope.businessId, [variantId]);
    if (!entry || entry.product.status !== 'active') {
      return refuse(context, TOOL, 'not_found', 'There is no such product variant. Search again.', {
        variantId,
      });
    }
    const lines = await store.carts.lines(scope.businessId, scope.contactId);
    const current = lines.find((line) => line.variantId === variantId)?.quantity ?? 0;
    const wanted = current + quantity;
    if (current === 0 && lines.length >= ORDER_LIMITS.maxCartLines) {
      return refuse(
        context,
        TOOL,
        'validation_failed',
        `The cart already has ${ORDER_LIMITS.maxCartLines} different items, the most one order can hold.`,
        { variantId },
      );
    }
    if (wanted > ORDER_LIMITS.maxLineQuantity) {
      return refuse(
        context,
        TOOL,
        'validation_failed',
        `At most ${ORDER_LIMITS.maxLineQuantity} of one item fit in an order; for more, offer a person (request_human).`,
        { variantId, quantity: wanted },
      );
    }
    if (entry.variant.stock !== null && entry.variant.stock < wanted) {
      return refuse(
        context,
        TOOL,
        'conflict',
        entry.variant.stock === 0
          ? 'That variant is out of stock.'
          : `Only ${entry.variant.stock} of that variant are in stock.`,
        { variantId, quantity: wanted, stock: entry.variant.stock },
      );
    }
    await store.carts.setQuantity(scope.businessId, scope.contactId, variantId, wanted);
    const cart = await priceCart(
      store,
      scope.businessId,
      scope.contactId,
      await businessCurrency(context),
    );
    return { added: { variantId, quantity }, cart: cartView(cart) };
  },
});
