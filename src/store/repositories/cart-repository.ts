import { and, asc, eq } from 'drizzle-orm';
import type { CartRepository } from '../../core/commerce-store.js';
import { cartLines } from '../schema/index.js';
import type { RepositoryContext } from './context.js';

export function createCartRepository({ db, clock }: RepositoryContext): CartRepository {
  return {
    async lines(businessId, contactId) {
      return db
        .select({ variantId: cartLines.variantId, quantity: cartLines.quantity })
        .from(cartLines)
        .where(and(eq(cartLines.businessId, businessId), eq(cartLines.contactId, contactId)))
        .orderBy(asc(cartLines.updatedAt));
    },
    async setQuantity(businessId, contactId, variantId, quantity) {
      const scope = and(
        eq(cartLines.businessId, businessId),
        eq(cartLines.contactId, contactId),
        eq(cartLines.variantId, variantId),
      );
      if (quantity <= 0) {
        await db.delete(cartLines).where(scope);
        return;
      }
      const now = clock.now();
      await db
        .insert(cartLines)
        .values({ businessId, contactId, variantId, quantity, updatedAt: now })
        .onConflictDoUpdate({
          target: [cartLines.contactId, cartLines.variantId],
          set: { quantity, updatedAt: now },
        });
    },
    async clear(businessId, contactId) {
      await db
        .delete(cartLines)
        .where(and(eq(cartLines.businessId, businessId), eq(cartLines.contactId, contactId)));
    },
  };
}
