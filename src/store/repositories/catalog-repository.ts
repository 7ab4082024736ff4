import { and, asc, count, eq, gte, inArray, isNull, notInArray, or, sql } from 'drizzle-orm';
import type { Product, ProductVariant, Service } from '../../core/catalog.js';
import type { CatalogRepository } from '../../core/store.js';
import { products, productVariants, services } from '../schema/index.js';
import { refreshStatistics } from '../refresh-statistics.js';
import type { RepositoryContext } from './context.js';
import { searchProducts } from './product-search.js';

/** The product's own columns: search columns and embeddings stay in the database. */
export const productColumns = {
  id: products.id,
  businessId: products.businessId,
  handle: products.handle,
  title: products.title,
  description: products.description,
  category: products.category,
  tags: products.tags,
  status: products.status,
};
type ProductRow = { [Key in keyof typeof productColumns]: ProductRowFull[Key] };
type ProductRowFull = typeof products.$inferSelect;
type VariantRow = typeof productVariants.$inferSelect;

export function createCatalogRepository(context: RepositoryContext): CatalogRepository {
  const { db, ids, clock } = context;
  return {
    async upsertProducts(businessId, inputs, options = {}) {
      const replaceStock = options.stock === 'replace';
      const now = clock.now();
      for (const input of inputs) {
        const { variants, ...product } = input;
        const [row] = await db
          .insert(products)
          .values({ id: ids.newId(), businessId, ...product, createdAt: now, updatedAt: now })
          .onConflictDoUpdate({
            target: [products.businessId, products.handle],
            set: { ...product, updatedAt: now },
          })
          .returning({ id: products.id });
        const productId = row!.id;
        const titles = variants.map((variant) => variant.title);
        await db
          .delete(productVariants)
          .where(
            and(
              eq(productVariants.productId, productId),
              titles.length > 0 ? notInArray(productVariants.title, titles) : undefined,
            ),
          );
        if (variants.length === 0) continue;
        await db
          .insert(productVariants)
          .values(
            variants.map((variant, position) => ({
              id: ids.newId(),
              businessId,
              productId,
              ...variant,
              position,
            })),
          )
          .onConflictDoUpdate({
            target: [productVariants.productId, productVariants.title],
            set: {
              sku: sql`excluded.sku`,
              options: sql`excluded.options`,
              priceMinor: sql`excluded.price_minor`,
              compareAtMinor: sql`excluded.compare_at_minor`,
              // Seeding keeps the stock orders have moved; a variant that never tracked stock
              // starts tracking from the given figure.
              stock: replaceStock
                ? sql`excluded.stock`
                : sql`coalesce(${productVariants.stock}, excluded.stock)`,
              position: sql`excluded.position`,
            },
          });
      }
      if (inputs.length > 0) {
        await refreshStatistics(db, ['products', 'product_variants', 'catalog_words']);
      }
    },
    async listProducts(businessId, options = {}) {
      const productRows = await db
        .select(productColumns)
        .from(products)
        .where(eq(products.businessId, businessId))
        .orderBy(asc(products.title))
        .limit(options.limit ?? 1000);
      return withVariants(context, businessId, productRows);
    },
    async getProduct(businessId, handle) {
      const rows = await db
        .select(productColumns)
        .from(products)
        .where(and(eq(products.businessId, businessId), eq(products.handle, handle)));
      const [product] = await withVariants(context, businessId, rows);
      return product ?? null;
    },
    async getVariants(businessId, variantIds) {
      if (variantIds.length === 0) return [];
      const rows = await db
        .select({ variant: productVariants, product: productColumns })
        .from(productVariants)
        .innerJoin(products, eq(products.id, productVariants.productId))
        .where(
          and(
            eq(productVariants.businessId, businessId),
            inArray(productVariants.id, [...variantIds]),
          ),
        );
      return rows.map((row) => ({
        variant: toVariant(row.variant),
        product: {
          id: row.product.id,
          handle: row.product.handle,
          title: row.product.title,
          status: row.product.status,
        },
      }));
    },
    async takeStock(businessId, variantId, quantity) {
      // One conditional UPDATE: two orders racing for the last unit cannot both get it.
      const taken = await db
        .update(productVariants)
        .set({ stock: sql`${productVariants.stock} - ${quantity}` })
        .where(
          and(
            eq(productVariants.businessId, businessId),
            eq(productVariants.id, variantId),
            or(isNull(productVariants.stock), gte(productVariants.stock, quantity)),
          ),
        )
        .returning({ id: productVariants.id });
      return taken.length === 1;
    },
    async returnStock(businessId, variantId, quantity) {
      await db
        .update(productVariants)
        .set({ stock: sql`${productVariants.stock} + ${quantity}` })
        .where(and(eq(productVariants.businessId, businessId), eq(productVariants.id, variantId)));
    },
    searchProducts: (businessId, search) => searchProducts(context, businessId, search),
    async countProducts(businessId) {
      const [row] = await db
        .select({ total: count() })
        .from(products)
        .where(eq(products.businessId, businessId));
      return row?.total ?? 0;
    },
    async listFileEntries(businessId) {
      return db
        .select({ handle: products.handle, fileEntry: products.fileEntry })
        .from(products)
        .where(eq(products.businessId, businessId));
    },
    async setFileEntries(businessId, entries) {
      for (const entry of entries) {
        await db
          .update(products)
          .set({ fileEntry: entry.fileEntry })
          .where(and(eq(products.businessId, businessId), eq(products.handle, entry.handle)));
      }
    },
    async upsertServices(businessId, inputs) {
      if (inputs.length === 0) return;
      await db
        .insert(services)
        .values(inputs.map((service) => ({ id: ids.newId(), businessId, ...service })))
        .onConflictDoUpdate({
          target: [services.businessId, services.slug],
          set: {
            name: sql`excluded.name`,
            description: sql`excluded.description`,
            durationMinutes: sql`excluded.duration_minutes`,
            bufferMinutes: sql`excluded.buffer_minutes`,
            priceMinor: sql`excluded.price_minor`,
          },
        });
    },
    async listServices(businessId) {
      const rows = await db
        .select()
        .from(services)
        .where(eq(services.businessId, businessId))
        .orderBy(asc(services.name));
      return rows.map((row): Service => ({ ...row }));
    },
  };
}

/** The products with their variants, in the order given. */
export async function withVariants(
  { db }: RepositoryContext,
  businessId: string,
  productRows: readonly ProductRow[],
): Promise<Product[]> {
  if (productRows.length === 0) return [];
  const variantRows = await db
    .select()
    .from(productVariants)
    .where(
      and(
        eq(productVariants.businessId, businessId),
        inArray(
          productVariants.productId,
          productRows.map((row) => row.id),
        ),
      ),
    )
    .orderBy(asc(productVariants.position));
  const byProduct = new Map<string, ProductVariant[]>();
  for (const variant of variantRows) {
    const list = byProduct.get(variant.productId) ?? [];
    list.push(toVariant(variant));
    byProduct.set(variant.productId, list);
  }
  return productRows.map((row): Product => ({
    id: row.id,
    businessId: row.businessId,
    handle: row.handle,
    title: row.title,
    description: row.description,
    category: row.category,
    tags: row.tags,
    status: row.status,
    variants: byProduct.get(row.id) ?? [],
  }));
}

function toVariant(variant: VariantRow): ProductVariant {
  return {
    id: variant.id,
    sku: variant.sku,
    title: variant.title,
    options: variant.options,
    priceMinor: variant.priceMinor,
    compareAtMinor: variant.compareAtMinor,
    stock: variant.stock,
  };
}
