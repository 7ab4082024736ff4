import { isDeepStrictEqual } from 'node:util';
import type { Business } from '../core/business.js';
import type { Service } from '../core/catalog.js';
import type { ServiceInput, Store } from '../core/store.js';
import { toBusinessInput, type BusinessConfig } from './business-config.js';
import { syncFileFaq } from './sync-file-faq.js';
import { syncFileProducts } from './sync-file-products.js';

/**
 * Makes the database match the business file: the business (by slug), its FAQ (the file's entries;
 * the owner's console edits and deletions stand, see `syncFileFaq`), and the
 * products and services the file lists (by handle and slug), in one transaction. Rows that already
 * match are not written, so a second run changes nothing, not even `updatedAt` or FAQ ids.
 * Products take only what the file changed since the last start (see `syncFileProducts`), so a
 * Shopify sync's or import's archiving survives a restart. Products and services missing from
 * the file are left as they are.
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

    await syncFileProducts(tx.catalog, business.id, config.products);

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
