import type { Product, ProductVariant } from './catalog.js';

/** What a customer's words and stated needs become: every field narrows the results. */
export interface ProductSearch {
  /** Free words, matched with typo tolerance; empty or absent lists by the filters alone. */
  query?: string | undefined;
  category?: string | undefined;
  minPriceMinor?: number | undefined;
  maxPriceMinor?: number | undefined;
  /** Only products with a variant in stock (untracked stock counts as in stock). */
  inStock?: boolean | undefined;
  /** Variant options that must match, case-insensitively, e.g. `{ size: 'M' }`. */
  options?: Record<string, string> | undefined;
  /** Products to leave out (recommendations leave out the product they start from). */
  excludeProductIds?: readonly string[] | undefined;
  /** A query embedding, when an embedding model is configured and the database has pgvector. */
  embedding?: readonly number[] | undefined;
  limit: number;
}

export interface ProductHit {
  product: Product;
  /** Higher is better; only comparable within one search. */
  score: number;
}

/** A variant with the product it belongs to: what an order line is priced from. */
export interface CatalogVariant {
  variant: ProductVariant;
  product: Pick<Product, 'id' | 'handle' | 'title' | 'status'>;
}
