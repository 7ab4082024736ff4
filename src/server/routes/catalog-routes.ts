import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { notFound } from '../../core/errors.js';
import { importCatalog } from '../../tools/catalog-import/import-catalog.js';
import { parseCatalogCsv } from '../../tools/catalog-import/parse-catalog-csv.js';
import { parseCatalogJson } from '../../tools/catalog-import/parse-catalog-json.js';
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
}
