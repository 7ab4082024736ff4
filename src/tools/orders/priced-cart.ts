import type { CatalogVariant } from '../../core/catalog-search.js';
import type { Store } from '../../core/store.js';

export interface PricedLine {
  variantId: string;
  productTitle: string;
  variantTitle: string;
  sku: string | null;
  quantity: number;
  /** From the catalog, now: never from anything the model said. */
  unitPriceMinor: number;
  lineTotalMinor: number;
  /** Units in stock (null: not tracked). */
  stock: number | null;
  /** Why the line cannot be ordered as it is, or null. */
  problem: string | null;
}

export interface PricedCart {
  currency: string;
  lines: PricedLine[];
  totalMinor: number;
}

/** The contact's cart priced from the catalog as it is now, with what stops each line. */
export async function priceCart(
  store: Store,
  businessId: string,
  contactId: string,
  currency: string,
): Promise<PricedCart> {
  const cart = await store.carts.lines(businessId, contactId);
  const variants = new Map(
    (
      await store.catalog.getVariants(
        businessId,
        cart.map((line) => line.variantId),
      )
    ).map((entry) => [entry.variant.id, entry]),
  );
  const lines = cart.flatMap((line): PricedLine[] => {
    const entry = variants.get(line.variantId);
    return entry ? [pricedLine(entry, line.quantity)] : [];
  });
  return {
    currency,
    lines,
    totalMinor: lines.reduce((sum, line) => sum + line.lineTotalMinor, 0),
  };
}

export function pricedLine({ variant, product }: CatalogVariant, quantity: number): PricedLine {
  let problem: string | null = null;
  if (product.status !== 'active') problem = 'no longer sold';
  else if (variant.stock !== null && variant.stock < quantity) {
    problem = variant.stock === 0 ? 'out of stock' : `only ${variant.stock} in stock`;
  }
  return {
    variantId: variant.id,
    productTitle: product.title,
    variantTitle: variant.title,
    sku: variant.sku,
    quantity,
    unitPriceMinor: variant.priceMinor,
    lineTotalMinor: variant.priceMinor * quantity,
    stock: variant.stock,
    problem,
  };
}

/** "Harbour Road 105 (54 cm)", or just the product title for a single default variant. */
export function lineName(line: Pick<PricedLine, 'productTitle' | 'variantTitle'>): string {
  return line.variantTitle === 'Default' || line.variantTitle === 'Default Title'
    ? line.productTitle
    : `${line.productTitle} (${line.variantTitle})`;
}
