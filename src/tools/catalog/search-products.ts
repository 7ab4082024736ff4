import { z } from 'zod';
import { defineTool, type AgentTool } from '../../core/agent-tool.js';
import type { Embedder } from '../../core/embedder.js';
import { minorDigits } from '../../core/money.js';
import { businessCurrency } from '../orders/business-currency.js';
import { embedCatalogQuery } from './embed-catalog.js';
import { productView } from './product-view.js';

const money = z.number().min(0).max(1_000_000);

/**
 * Searches the business's active products: typo-tolerant words plus filters, and with an
 * embeddings model the customer's words ranked by meaning too.
 */
export function createSearchProducts(
  embedderFor: (businessId: string) => Embedder | null,
): AgentTool {
  return defineTool({
    name: 'search_products',
    description:
      "Search the shop's catalog. Give the customer's words (typos are fine) and any filters they stated: category, price range, in stock only, options such as size or colour. Returns products with their variants, prices and stock.",
    inputSchema: z.strictObject({
      query: z.string().trim().max(200).optional().describe('What the customer is looking for.'),
      category: z.string().trim().max(100).optional(),
      minPrice: money.optional().describe('Lowest price, in the shop currency (e.g. 50).'),
      maxPrice: money.optional().describe('Highest price, in the shop currency (e.g. 600).'),
      inStock: z.boolean().optional().describe('Only products with a variant in stock.'),
      options: z
        .record(z.string().trim().min(1).max(40), z.string().trim().min(1).max(60))
        .optional()
        .describe('Variant options that must match, e.g. {"size": "M", "colour": "Red"}.'),
      limit: z.number().int().min(1).max(10).default(5),
    }),
    async execute(input, context) {
      const currency = await businessCurrency(context);
      const scale = 10 ** minorDigits(currency);
      const embedding = await embedCatalogQuery(
        context,
        embedderFor(context.scope.businessId),
        input.query,
      );
      const hits = await context.store.catalog.searchProducts(context.scope.businessId, {
        query: input.query,
        embedding,
        category: input.category,
        minPriceMinor:
          input.minPrice === undefined ? undefined : Math.round(input.minPrice * scale),
        maxPriceMinor:
          input.maxPrice === undefined ? undefined : Math.round(input.maxPrice * scale),
        inStock: input.inStock,
        options: input.options
          ? Object.fromEntries(Object.entries(input.options).slice(0, 3))
          : undefined,
        limit: input.limit,
      });
      if (hits.length === 0) {
        return {
          results: [],
          note: 'Nothing in the catalog matches. Do not suggest products that are not listed.',
        };
      }
      return { results: hits.map((hit) => productView(hit.product, currency, 'summary')) };
    },
  });
}

/** Words and filters only (no embeddings model). */
export const searchProducts = createSearchProducts(() => null);
