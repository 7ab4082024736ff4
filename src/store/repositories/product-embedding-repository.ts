import { and, asc, eq, isNull } from 'drizzle-orm';
import type { ProductEmbeddingRepository } from '../../core/knowledge.js';
import { products } from '../schema/index.js';
import type { RepositoryContext } from './context.js';

export function createProductEmbeddingRepository({
  db,
}: RepositoryContext): ProductEmbeddingRepository {
  return {
    async missing(businessId, limit) {
      const rows = await db
        .select({
          id: products.id,
          title: products.title,
          category: products.category,
          tags: products.tags,
          description: products.description,
        })
        .from(products)
        .where(
          and(
            eq(products.businessId, businessId),
            eq(products.status, 'active'),
            isNull(products.embedding),
          ),
        )
        .orderBy(asc(products.id))
        .limit(limit);
      return rows.map((row) => ({
        id: row.id,
        // What a customer's description of a need should land near: name, kind, tags, details.
        text: [row.title, row.category ?? '', row.tags.join(', '), row.description]
          .filter((part) => part.trim() !== '')
          .join('\n'),
      }));
    },
    async save(businessId, vectors) {
      if (vectors.length === 0) return;
      await db.transaction(async (tx) => {
        for (const { id, embedding } of vectors) {
          await tx
            .update(products)
            .set({ embedding: [...embedding] })
            .where(and(eq(products.businessId, businessId), eq(products.id, id)));
        }
      });
    },
  };
}
