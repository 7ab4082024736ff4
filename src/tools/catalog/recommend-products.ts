import { z } from 'zod';
import { defineTool } from '../../core/agent-tool.js';
import { minorDigits } from '../../core/money.js';
import { refuse } from '../refuse.js';
import { businessCurrency } from '../orders/business-currency.js';
import { productView } from './product-view.js';

/**
 * Recommendations from the catalog only: products like a given one (its category and tags), or
 * products that fit stated needs and a budget. In stock first; nothing outside the catalog.
 */
export const recommendProducts = defineTool({
  name: 'recommend_products',
  description:
    'Recommend products: similar to a product the customer looked at (similarTo = its handle), or fitting their needs in their own words and their budget. Only in-stock products are suggested.',
  inputSchema: z.strictObject({
    similarTo: z.string().trim().min(1).max(200).optional(),
    needs: z
      .string()
      .trim()
      .min(1)
      .max(300)
      .optional()
      .describe('e.g. "commuting in the rain, tall rider"'),
    maxPrice: z.number().min(0).max(1_000_000).optional().describe('Budget, in the shop currency.'),
    limit: z.number().int().min(1).max(6).default(3),
  }),
  async execute(input, context) {
    const { store, scope } = context;
    const currency = await businessCurrency(context);
    const maxPriceMinor =
      input.maxPrice === undefined
        ? undefined
        : Math.round(input.maxPrice * 10 ** minorDigits(currency));
    let query = input.needs ?? '';
    let category: string | undefined;
    const exclude: string[] = [];
    if (input.similarTo) {
      const base = await store.catalog.getProduct(scope.businessId, input.similarTo);
      if (!base || base.status !== 'active') {
        return refuse(
          context,
          'recommend_products',
          'not_found',
          `There is no product "${input.similarTo}".`,
          {
            handle: input.similarTo,
          },
        );
      }
      exclude.push(base.id);
      query = [query, ...base.tags, base.category ?? ''].join(' ');
      category = base.category ?? undefined;
    }
    if (!query.trim() && maxPriceMinor === undefined) {
      return refuse(
        context,
        'recommend_products',
        'validation_failed',
        'Give similarTo, needs or maxPrice.',
      );
    }
    let hits = await store.catalog.searchProducts(scope.businessId, {
      query,
      category,
      maxPriceMinor,
      inStock: true,
      excludeProductIds: exclude,
      limit: input.limit,
    });
    // Nothing else in the same category: look across the catalog by its tags.
    if (hits.length === 0 && category) {
      hits = await store.catalog.searchProducts(scope.businessId, {
        query,
        maxPriceMinor,
        inStock: true,
        excludeProductIds: exclude,
        limit: input.limit,
      });
    }
    return hits.length === 0
      ? {
          results: [],
          note: 'Nothing in stock fits. Say so rather than suggesting other products.',
        }
      : { results: hits.map((hit) => productView(hit.product, currency, 'summary')) };
  },
});
