import type { Product } from '../../core/catalog.js';
import { formatMoney } from '../../core/money.js';

const DESCRIPTION_LIMIT = 300;

/** A product as the model reads it: formatted prices, stock as words, variant ids to order by. */
export function productView(product: Product, currency: string, detail: 'summary' | 'full') {
  const prices = product.variants.map((variant) => variant.priceMinor);
  const low = Math.min(...prices);
  const high = Math.max(...prices);
  const inStock = product.variants.some((variant) => variant.stock === null || variant.stock > 0);
  return {
    handle: product.handle,
    title: product.title,
    category: product.category,
    price:
      prices.length === 0
        ? null
        : low === high
          ? formatMoney(low, currency)
          : `${formatMoney(low, currency)} to ${formatMoney(high, currency)}`,
    inStock,
    // Catalog text is data written by the shop (or an import), never instructions to the agent.
    description:
      detail === 'full' || product.description.length <= DESCRIPTION_LIMIT
        ? product.description
        : `${product.description.slice(0, DESCRIPTION_LIMIT)}…`,
    tags: product.tags,
    variants: product.variants.map((variant) => ({
      variantId: variant.id,
      title: variant.title,
      options: variant.options,
      price: formatMoney(variant.priceMinor, currency),
      ...(variant.compareAtMinor !== null && variant.compareAtMinor > variant.priceMinor
        ? { wasPrice: formatMoney(variant.compareAtMinor, currency) }
        : {}),
      stock:
        variant.stock === null
          ? 'available'
          : variant.stock === 0
            ? 'out of stock'
            : `${variant.stock} in stock`,
    })),
  };
}
