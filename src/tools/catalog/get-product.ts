import { z } from 'zod';
import { defineTool } from '../../core/agent-tool.js';
import { refuse } from '../refuse.js';
import { businessCurrency } from '../orders/business-currency.js';
import { productView } from './product-view.js';

/** One product with every variant, price and stock figure. */
export const getProduct = defineTool({
  name: 'get_product',
  description:
    'Get one product by its handle (from search_products): full description, every variant with its price and stock.',
  inputSchema: z.strictObject({
    handle: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .describe('The product handle, e.g. "harbour-road-105".'),
  }),
  async execute({ handle }, context) {
    const product = await context.store.catalog.getProduct(context.scope.businessId, handle);
    if (!product || product.status !== 'active') {
      return refuse(
        context,
        'get_product',
        'not_found',
        `There is no product "${handle}". Search first.`,
        {
          handle,
        },
      );
    }
    return productView(product, await businessCurrency(context), 'full');
  },
});
