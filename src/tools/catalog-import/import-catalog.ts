import type { Store } from '../../core/store.js';
import type { ParsedCatalog } from './parse-catalog-csv.js';

export interface CatalogImportResult {
  created: number;
  updated: number;
  imageRows: number;
  issues: ParsedCatalog['issues'];
}

/**
 * Writes what a catalog file held, in one transaction: products are created or updated in place
 * by handle, variants by title, and stock is taken from the file (the shop system owns it).
 */
export async function importCatalog(
  store: Store,
  businessId: string,
  parsed: ParsedCatalog,
): Promise<CatalogImportResult> {
  return store.transaction(async (tx) => {
    const count = await tx.catalog.countProducts(businessId);
    const existing = new Set(
      (await tx.catalog.listProducts(businessId, { limit: Math.max(count, 1) })).map(
        (product) => product.handle,
      ),
    );
    await tx.catalog.upsertProducts(businessId, parsed.products, { stock: 'replace' });
    const updated = parsed.products.filter((product) => existing.has(product.handle)).length;
    return {
      created: parsed.products.length - updated,
      updated,
      imageRows: parsed.imageRows,
      issues: parsed.issues,
    };
  });
}
