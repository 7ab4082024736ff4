/**
 * Column names a catalog file may use, lower-cased: Shopify's current template, its legacy export
 * (see Shopify's "Using CSV files to import and export products"), and plain names for shops not
 * on Shopify. The first name found in the header wins.
 */
export const CATALOG_COLUMNS = {
  handle: ['url handle', 'handle'],
  title: ['title', 'name'],
  description: ['description', 'body (html)', 'body html', 'body'],
  productCategory: ['product category', 'category'],
  type: ['type', 'product type'],
  tags: ['tags'],
  status: ['status'],
  published: ['published on online store', 'published'],
  sku: ['sku', 'variant sku'],
  price: ['price', 'variant price'],
  compareAt: [
    'compare-at price',
    'variant compare at price',
    'compare at price',
    'compare_at_price',
  ],
  stock: ['inventory quantity', 'variant inventory qty', 'stock', 'quantity'],
  tracker: ['inventory tracker', 'variant inventory tracker'],
  policy: ['continue selling when out of stock', 'variant inventory policy'],
  image: ['product image url', 'image src'],
  variantImage: ['variant image url', 'variant image'],
  option1Name: ['option1 name'],
  option1Value: ['option1 value'],
  option2Name: ['option2 name'],
  option2Value: ['option2 value'],
  option3Name: ['option3 name'],
  option3Value: ['option3 value'],
} as const;

export type CatalogColumn = keyof typeof CATALOG_COLUMNS;

/** Where each known column is in this file's header (absent: the file does not have it). */
export function locateColumns(header: readonly string[]): Partial<Record<CatalogColumn, number>> {
  const normalised = header.map((name) => name.trim().toLowerCase());
  const found: Partial<Record<CatalogColumn, number>> = {};
  for (const [column, names] of Object.entries(CATALOG_COLUMNS) as Array<
    [CatalogColumn, readonly string[]]
  >) {
    for (const name of names) {
      const index = normalised.indexOf(name);
      if (index >= 0) {
        found[column] = index;
        break;
      }
    }
  }
  return found;
}
