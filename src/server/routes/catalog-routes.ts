import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { notFound, ParleyError } from '../../core/errors.js';
import { importCatalog } from '../../tools/catalog-import/import-catalog.js';
import { parseCatalogCsv } from '../../tools/catalog-import/parse-catalog-csv.js';
import { parseCatalogJson } from '../../tools/catalog-import/parse-catalog-json.js';
import { syncShopifyCatalog } from '../../tools/catalog-sync/sync-shopify-catalog.js';
import type { ApiRegistry } from '../api-route.js';
import { errorSchema } from '../api-shapes.js';
import type { ServerDependencies } from '../server-dependencies.js';

const resultSchema = z.object({
  created: z.number(),
  updated: z.number(),
  imageRows: z.number(),
  issues: z.array(
    z.object({ line: z.number(), handle: z.string().nullable(), message: z.string() }),
  ),
});

const syncResultSchema = z.object({
  shop: z.string(),
  pages: z.number(),
  created: z.number(),
  updated: z.number(),
  archived: z.number(),
  images: z.number(),
  problems: z.array(
    z.object({ shopifyId: z.string(), handle: z.string().nullable(), message: z.string() }),
  ),
});

/** Catalog imports: a Shopify product CSV (current or legacy headers), a plain CSV, or JSON. */
export function registerCatalogRoutes(
  app: FastifyInstance,
  api: ApiRegistry,
  deps: ServerDependencies,
): void {
  api.register(app, {
    method: 'POST',
    url: '/api/catalog/import',
    summary:
      'Import products: created or updated in place by handle; malformed rows are reported by line and their products left out',
    tag: 'catalog',
    auth: 'owner',
    body: z.object({
      format: z.enum(['shopify-csv', 'csv', 'json']),
      content: z.string().min(1),
    }),
    responses: {
      200: { description: 'What was imported, and the rows that were not', schema: resultSchema },
      400: { description: 'The file cannot be read', schema: errorSchema },
    },
    async handler({ principal, body }) {
      const business = await deps.store.businesses.getById(principal.businessId);
      if (!business) throw notFound('The business');
      const { currency } = business.profile;
      const parsed =
        body.format === 'json'
          ? parseCatalogJson(body.content, currency)
          : parseCatalogCsv(body.content, currency);
      return importCatalog(deps.store, business.id, parsed);
    },
  });

  api.register(app, {
    method: 'POST',
    url: '/api/catalog/sync',
    summary:
      "Pull every product from the business's Shopify store now: created or updated in place by handle, products gone from Shopify archived, unreadable ones reported",
    tag: 'catalog',
    auth: 'owner',
    responses: {
      200: {
        description: 'What the sync changed, and the products it could not read',
        schema: syncResultSchema,
      },
      400: { description: 'The business file has no shopify section', schema: errorSchema },
    },
    async handler({ principal }) {
      const business = await deps.store.businesses.getById(principal.businessId);
      if (!business) throw notFound('The business');
      const shopify = deps.shopifyFor?.(business.id) ?? null;
      if (!shopify) {
        throw new ParleyError(
          'validation_failed',
          'This business has no Shopify store to sync from. Add a shopify section to its business file (shop: the myshopify.com domain, accessToken such as ${SHOPIFY_ACCESS_TOKEN}, apiVersion) and restart Parley.',
        );
      }
      const result = await syncShopifyCatalog(
        { store: deps.store, ...(deps.shopifyFetch ? { fetch: deps.shopifyFetch } : {}) },
        business.id,
        shopify,
        business.profile.currency,
      );
      return {
        shop: shopify.shop,
        pages: result.pages,
        created: result.created,
        updated: result.updated,
        archived: result.archived,
        images: result.images,
        problems: result.issues,
      };
    },
  });
}
