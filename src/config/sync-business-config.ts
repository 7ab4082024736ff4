import { isDeepStrictEqual } from 'node:util';
import type { Business } from '../core/business.js';
import type { Product, Service } from '../core/catalog.js';
import type { ProductInput, ServiceInput, Store } from '../core/store.js';
import { toBusinessInput, type BusinessConfig } from './business-config.js';
import { syncFileFaq } from './sync-file-faq.js';

/**
 * Makes the database match the business file: the business (by slug), its FAQ (the file's entries;
 * the owner's console edits and deletions stand, see `syncFileFaq`), and the
 * products and services the file lists (by handle and slug), in one transaction. Rows that already
 * match are not written, so a second run changes nothing, not even `updatedAt` or FAQ ids.
 * Products and services missing from the file are left as they are.
 */
export async function syncBusinessConfig(store: Store, config: BusinessConfig): Promise<Business> {
  return store.transaction(async (tx) => {
    const input = toBusinessInput(config);
    const existing = await tx.businesses.getBySlug(input.slug);
    const business =
      existing !== null &&
      existing.name === input.name &&
      existing.instructions === input.instructions &&
      sameData(existing.profile, input.profile)
        ? existing
        : await tx.businesses.upsert(input);

    await syncFileFaq(tx.knowledge, business.id, config.faq);

    const productCount = await tx.catalog.countProducts(business.id);
    const storedProducts = new Map(
      (await tx.catalog.listProducts(business.id, { limit: productCount })).map((product) => [
        product.handle,
        toProductInput(product),
      ]),
    );
    const changedProducts = config.products.filter(
      (product) => !sameData(storedProducts.get(product.handle), product),
    );
    if (changedProducts.length > 0) {
      await tx.catalog.upsertProducts(business.id, changedProducts);
    }

    const storedServices = new Map(
      (await tx.catalog.listServices(business.id)).map((service) => [
        service.slug,
        toServiceInput(service),
      ]),
    );
    const changedServices = config.services.filter(
      (service) => !sameData(storedServices.get(service.slug), service),
    );
    if (changedServices.length > 0) {
      await tx.catalog.upsertServices(business.id, changedServices);
    }

    return business;
  });
}

function toProductInput(product: Product): ProductInput {
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

function toServiceInput(service: Service): ServiceInput {
  return {
    slug: service.slug,
    name: service.name,
    description: service.description,
    durationMinutes: service.durationMinutes,
    bufferMinutes: service.bufferMinutes,
    priceMinor: service.priceMinor,
  };
}

/** Equal as stored: JSON columns drop `undefined` keys, and key order does not matter. */
function sameData(stored: unknown, wanted: unknown): boolean {
  if (stored === undefined || wanted === undefined) return stored === wanted;
  return isDeepStrictEqual(JSON.parse(JSON.stringify(stored)), JSON.parse(JSON.stringify(wanted)));
}
