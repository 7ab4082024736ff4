import { z } from 'zod';
import { ParleyError } from '../../core/errors.js';
import { minorDigits } from '../../core/money.js';
import type { ProductInput } from '../../core/store.js';
import type { ParsedCatalog } from './parse-catalog-csv.js';

const amount = z.union([z.number().min(0), z.string().regex(/^\d+(?:\.\d+)?$/)]).transform(Number);

const productSchema = z.object({
  handle: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lower-case letters, digits and dashes'),
  title: z.string().trim().min(1),
  description: z.string().default(''),
  category: z.string().trim().min(1).nullish(),
  tags: z.array(z.string().trim().min(1)).default([]),
  status: z.enum(['active', 'draft', 'archived']).default('active'),
  variants: z
    .array(
      z.object({
        title: z.string().trim().min(1).default('Default'),
        sku: z.string().trim().min(1).nullish(),
        options: z.record(z.string(), z.string()).default({}),
        price: amount,
        compareAtPrice: amount.nullish(),
        stock: z.number().int().min(0).nullish(),
      }),
    )
    .min(1),
});

/**
 * Reads a JSON catalog: an array of products with variants, prices in major units. Like the CSV
 * import, an invalid product is reported (by its position) and left out; the others are kept.
 */
export function parseCatalogJson(text: string, currency: string): ParsedCatalog {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ParleyError(
      'validation_failed',
      `The catalog is not valid JSON: ${(error as Error).message}.`,
      {
        cause: error,
      },
    );
  }
  const items = Array.isArray(data) ? data : (data as { products?: unknown })?.products;
  if (!Array.isArray(items)) {
    throw new ParleyError(
      'validation_failed',
      'Send an array of products, or an object with a "products" array.',
    );
  }
  const scale = 10 ** minorDigits(currency);
  const products: ProductInput[] = [];
  const issues: ParsedCatalog['issues'] = [];
  items.forEach((item, index) => {
    const result = productSchema.safeParse(item);
    if (!result.success) {
      const first = result.error.issues[0]!;
      issues.push({
        line: index + 1,
        handle:
          typeof (item as { handle?: unknown })?.handle === 'string'
            ? (item as { handle: string }).handle
            : null,
        message: `product ${index + 1}, ${first.path.join('.') || 'product'}: ${first.message}`,
      });
      return;
    }
    const product = result.data;
    products.push({
      handle: product.handle,
      title: product.title,
      description: product.description,
      category: product.category ?? null,
      tags: product.tags,
      status: product.status,
      variants: product.variants.map((variant) => {
        const priceMinor = Math.round(variant.price * scale);
        const compareAt =
          variant.compareAtPrice == null ? null : Math.round(variant.compareAtPrice * scale);
        return {
          title: variant.title,
          sku: variant.sku ?? null,
          options: variant.options,
          priceMinor,
          compareAtMinor: compareAt !== null && compareAt > priceMinor ? compareAt : null,
          stock: variant.stock ?? null,
        };
      }),
    });
  });
  return { products, issues, imageRows: 0 };
}
