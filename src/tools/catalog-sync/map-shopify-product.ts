import type { ProductInput } from '../../core/store.js';
import { HANDLE, htmlToText, toMinor } from '../catalog-import/parse-catalog-csv.js';
import type { ShopifyProduct, ShopifyVariant } from './shopify-admin-client.js';

export interface ShopifySyncIssue {
  /** Shopify's product id, as text. */
  shopifyId: string;
  handle: string | null;
  message: string;
}

type VariantInput = ProductInput['variants'][number];

/**
 * One Admin API product as Parley stores it, with the rules of the CSV import: options by name
 * (lower-case), "Default Title" means no options, untracked stock or "continue selling" means
 * stock never stops a sale, a compare-at price only when above the price. A product that cannot
 * be read is an issue, never half a product.
 */
export function mapShopifyProduct(
  product: ShopifyProduct,
  currency: string,
): { product: ProductInput; images: number } | { issue: ShopifySyncIssue } {
  const shopifyId = String(product.id ?? '?');
  const handle = (product.handle ?? '').trim().toLowerCase();
  const fail = (message: string) => ({
    issue: { shopifyId, handle: handle || null, message },
  });
  if (!HANDLE.test(handle))
    return fail(`the handle "${handle}" is not lower-case letters, digits and dashes`);
  const title = (product.title ?? '').trim();
  if (!title) return fail('the product has no title');
  const status = (product.status ?? '').toLowerCase();
  if (status !== 'active' && status !== 'draft' && status !== 'archived') {
    return fail(`the status "${product.status ?? ''}" is not active, draft or archived`);
  }
  const optionNames = [...(product.options ?? [])]
    .sort((a, b) => (a.position ?? 0) - (b.position ?? 0))
    .map((option) => (option.name ?? '').trim());
  const variants: VariantInput[] = [];
  for (const source of product.variants ?? []) {
    const variant = mapVariant(source, optionNames, currency);
    if ('error' in variant) return fail(variant.error);
    if (variants.some((existing) => existing.title === variant.title)) {
      return fail(`a second variant "${variant.title}" (options must differ between variants)`);
    }
    variants.push(variant);
  }
  if (variants.length === 0) return fail('the product has no variant');
  return {
    product: {
      handle,
      title,
      description: htmlToText(product.body_html ?? ''),
      category: (product.product_type ?? '').trim() || null,
      tags: (product.tags ?? '')
        .split(',')
        .map((tag) => tag.trim())
        .filter(Boolean),
      status,
      variants,
    },
    images: product.images?.length ?? 0,
  };
}

function mapVariant(
  source: ShopifyVariant,
  optionNames: readonly string[],
  currency: string,
): VariantInput | { error: string } {
  const priceText = String(source.price ?? '');
  const price = toMinor(priceText, currency);
  if (price === null) return { error: `the price "${priceText}" is not an amount` };
  const compareText = source.compare_at_price == null ? '' : String(source.compare_at_price);
  const compareAt = compareText === '' ? null : toMinor(compareText, currency);
  if (compareText !== '' && compareAt === null) {
    return { error: `the compare-at price "${compareText}" is not an amount` };
  }
  const options: Record<string, string> = {};
  const values: string[] = [];
  for (const [index, value] of [source.option1, source.option2, source.option3].entries()) {
    const text = (value ?? '').trim();
    if (text === '' || text === 'Default Title') continue;
    options[(optionNames[index] || `option ${index + 1}`).toLowerCase()] = text;
    values.push(text);
  }
  // Shopify counts stock only when inventory_management is "shopify"; "continue" sells on.
  const tracked = (source.inventory_management ?? '') !== '';
  const sellsOn = (source.inventory_policy ?? '').toLowerCase() === 'continue';
  let stock: number | null = null;
  if (tracked && !sellsOn) {
    const quantity = source.inventory_quantity;
    if (typeof quantity !== 'number' || !Number.isInteger(quantity)) {
      return { error: `the stock "${String(quantity)}" is not a whole number` };
    }
    stock = Math.max(0, quantity);
  }
  return {
    title: values.length === 0 ? 'Default' : values.join(' / '),
    sku: (source.sku ?? '').trim() || null,
    options,
    priceMinor: price,
    compareAtMinor: compareAt !== null && compareAt > price ? compareAt : null,
    stock,
  };
}
