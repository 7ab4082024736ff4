import { and, asc, count, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { Product, Service } from '../../core/catalog.js';
import type { CatalogRepository } from '../../core/store.js';
import { products, productVariants, services } from '../schema/index.js';
import type { RepositoryContext } from './context.js';

export function createCatalogRepository({ db, ids, clock }: RepositoryContext): CatalogRepository {
  return {
    async upsertProducts(businessId, inputs) {
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
              stock: sql`excluded.stock`,
              position: sql`excluded.position`,
            },
          });
      }
    },
    async listProducts(businessId, options = {}) {
      const productRows = await db
        .select()
        .from(products)
        .where(eq(products.businessId, businessId))
        .orderBy(asc(products.title))
        .limit(options.limit ?? 1000);
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
      return productRows.map((row): Product => ({
        id: row.id,
        businessId: row.businessId,
        handle: row.handle,
        title: row.title,
        description: row.description,
        category: row.category,
        tags: row.tags,
        status: row.status,
        variants: variantRows
          .filter((variant) => variant.productId === row.id)
          .map((variant) => ({
            id: variant.id,
            sku: variant.sku,
            title: variant.title,
            options: variant.options,
            priceMinor: variant.priceMinor,
            compareAtMinor: variant.compareAtMinor,
            stock: variant.stock,
          })),
      }));
    },
    async countProducts(businessId) {
      const [row] = await db
        .select({ total: count() })
        .from(products)
        .where(eq(products.businessId, businessId));
      return row?.total ?? 0;
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
