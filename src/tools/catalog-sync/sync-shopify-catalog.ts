import type { ShopifySettings } from '../../core/shopify-sync.js';
import type { ProductInput, Store } from '../../core/store.js';
import { mapShopifyProduct, type ShopifySyncIssue } from './map-shopify-product.js';
import { fetchShopifyProducts, type ShopifyClientDependencies } from './shopify-admin-client.js';

export interface ShopifySyncResult {
  pages: number;
  created: number;
  updated: number;
  /** Products Parley had that Shopify no longer lists: archived, never deleted. */
  archived: number;
  images: number;
  issues: ShopifySyncIssue[];
}

/**
 * Pulls the whole Shopify catalog, then writes it in one transaction: products created or updated
 * in place by handle (stock from Shopify), and products Shopify no longer has archived, so orders
 * and conversations that name them keep their meaning. A product Shopify still has but Parley
 * cannot read is reported and left as it was. If any page fails, nothing is written.
 */
export async function syncShopifyCatalog(
  deps: { store: Store } & ShopifyClientDependencies,
  businessId: string,
  settings: ShopifySettings,
  currency: string,
): Promise<ShopifySyncResult> {
  const { products: listed, pages } = await fetchShopifyProducts(settings, deps);
  const mapped: ProductInput[] = [];
  const issues: ShopifySyncIssue[] = [];
  const seen = new Set<string>();
  let images = 0;
  for (const source of listed) {
    const result = mapShopifyProduct(source, currency);
    if ('issue' in result) {
      issues.push(result.issue);
      if (result.issue.handle) seen.add(result.issue.handle);
      continue;
    }
    if (seen.has(result.product.handle)) {
      issues.push({
        shopifyId: String(source.id ?? '?'),
        handle: result.product.handle,
        message: 'a second product with this handle; the first one was kept',
      });
      continue;
    }
    seen.add(result.product.handle);
    mapped.push(result.product);
    images += result.images;
  }
  return deps.store.transaction(async (tx) => {
    const count = await tx.catalog.countProducts(businessId);
    const existing = await tx.catalog.listProducts(businessId, { limit: Math.max(count, 1) });
    const known = new Set(existing.map((product) => product.handle));
    await tx.catalog.upsertProducts(businessId, mapped, { stock: 'replace' });
    const gone = existing.filter(
      (product) => !seen.has(product.handle) && product.status !== 'archived',
    );
    // Archiving rewrites the product as it is, with only its status changed (stock kept).
    await tx.catalog.upsertProducts(
      businessId,
      gone.map(({ handle, title, description, category, tags, variants }) => ({
        handle,
        title,
        description,
        category,
        tags,
        status: 'archived' as const,
        variants: variants.map(({ id: _id, ...variant }) => variant),
      })),
    );
    const updated = mapped.filter((product) => known.has(product.handle)).length;
    return {
      pages,
      created: mapped.length - updated,
      updated,
      archived: gone.length,
      images,
      issues,
    };
  });
}
