import type { Store } from '../../core/store.js';

/**
 * The value of what the contact is about to buy, in minor units of the business currency, or null
 * when there is nothing. The hook for the cart-value trigger: the cart and order tools (being built
 * separately) may supply a richer lookup, e.g. a pending order's total.
 */
export type CartValueLookup = (scope: {
  businessId: string;
  contactId: string;
  conversationId: string;
}) => Promise<number | null>;

/** The contact's cart priced from the catalog (prices as they are now, not as quoted). */
export function cartValueFromStore(store: Store): CartValueLookup {
  return async ({ businessId, contactId }) => {
    const lines = await store.carts.lines(businessId, contactId);
    if (lines.length === 0) return null;
    const variants = await store.catalog.getVariants(
      businessId,
      lines.map((line) => line.variantId),
    );
    const prices = new Map(variants.map((entry) => [entry.variant.id, entry.variant.priceMinor]));
    return lines.reduce((sum, line) => sum + (prices.get(line.variantId) ?? 0) * line.quantity, 0);
  };
}
