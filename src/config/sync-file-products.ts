import { isDeepStrictEqual } from 'node:util';
import type { Product } from '../core/catalog.js';
import type { CatalogRepository, ProductInput } from '../core/store.js';

/**
 * Applies the business file's products: what the file changed since the last start, not its whole
 * state. A product the file still describes as it did is not written, so a Shopify sync's or an
 * import's later changes stand (above all, a product they archived stays archived). A field the
 * file changed is written over them; a product new to the file is written whole. Products the file
 * does not list are left alone.
 */
export async function syncFileProducts(
  catalog: CatalogRepository,
  businessId: string,
  fileProducts: readonly ProductInput[],
): Promise<void> {
  const count = await catalog.countProducts(businessId);
  const stored = new Map(
    (await catalog.listProducts(businessId, { limit: Math.max(count, 1) })).map((product) => [
      product.handle,
      toProductInput(product),
    ]),
  );
  const lastApplied = new Map(
    (await catalog.listFileEntries(businessId)).map((row) => [row.handle, row.fileEntry]),
  );
  const writes: ProductInput[] = [];
  const applied: Array<{ handle: string; fileEntry: Record<string, unknown> }> = [];
  for (const product of fileProducts) {
    const fileEntry = plain(product) as Record<string, unknown>;
    const last = lastApplied.get(product.handle) ?? null;
    if (last !== null && sameData(last, fileEntry)) continue;
    const current = stored.get(product.handle);
    const wanted = current === undefined ? product : withFileChanges(current, product, last);
    if (!sameData(current, wanted)) writes.push(wanted);
    applied.push({ handle: product.handle, fileEntry });
  }
  if (writes.length > 0) await catalog.upsertProducts(businessId, writes);
  if (applied.length > 0) await catalog.setFileEntries(businessId, applied);
}

/** The stored product with the fields the file changed since `last` taken from the file. */
function withFileChanges(
  current: ProductInput,
  file: ProductInput,
  last: Record<string, unknown> | null,
): ProductInput {
  // Stored before Parley kept the file's entries: the file applies as before, except that it
  // never brings back a product something else archived.
  if (last === null) return current.status === 'archived' ? { ...file, status: 'archived' } : file;
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(file)) {
    if (!sameData(last[key], value)) merged[key] = value;
  }
  return merged as unknown as ProductInput;
}

/** A stored product in the shape the file describes one. */
export function toProductInput(product: Product): ProductInput {
  return {
    handle: product.handle,
    title: product.title,
    description: product.description,
    category: product.category,
    tags: product.tags,
    status: product.status,
    variants: product.variants.map(({ id: _id, ...variant }) => variant),
  };
}

function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

/** Equal as stored: JSON columns drop `undefined` keys, and key order does not matter. */
function sameData(stored: unknown, wanted: unknown): boolean {
  if (stored === undefined || wanted === undefined) return stored === wanted;
  return isDeepStrictEqual(plain(stored), plain(wanted));
}
