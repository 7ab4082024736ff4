import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusinessConfig } from '../../src/config/business-config.js';
import { loadBusinessConfig } from '../../src/config/load-business-config.js';
import { syncBusinessConfig } from '../../src/config/sync-business-config.js';
import type { Store } from '../../src/core/store.js';
import { createDrizzleStore } from '../../src/store/drizzle-store.js';
import { products } from '../../src/store/schema/index.js';
import { syncShopifyCatalog } from '../../src/tools/catalog-sync/sync-shopify-catalog.js';
import {
  shopifyProduct,
  startShopifyStandIn,
  type ShopifyStandIn,
} from '../catalog/support/shopify-stand-in.js';
import { backends, openTestDatabase, type TestDatabase } from '../support/test-database.js';

const DEMO_FILE = fileURLToPath(new URL('../../examples/demo-shop.yaml', import.meta.url));
const KEPT = 'fellside-carbon-ultegra';
const GONE = 'harbour-road-105';

describe.each(backends)('start-up sync after a Shopify sync (%s)', (backend) => {
  let database: TestDatabase;
  let store: Store;
  let shopify: ShopifyStandIn;
  let demo: BusinessConfig;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    store = createDrizzleStore(database.db);
    shopify = await startShopifyStandIn();
    demo = await loadBusinessConfig(DEMO_FILE, {});
  });
  afterAll(async () => {
    await shopify?.close();
    await database?.destroy();
  });

  const statusOf = async (businessId: string, handle: string) =>
    (await store.catalog.getProduct(businessId, handle))?.status;

  it('keeps what Shopify archived and priced, and applies only what the file changes', async () => {
    const business = await syncBusinessConfig(store, demo);
    expect(await statusOf(business.id, GONE)).toBe('active');

    // Shopify lists one of the file's products, at its own price: every other one is archived.
    shopify.products = [
      shopifyProduct({
        handle: KEPT,
        title: 'Fellside Carbon Ultegra',
        variants: [{ price: '1999.00', quantity: 2 }],
      }),
    ];
    const result = await syncShopifyCatalog(
      { store, sleep: () => Promise.resolve() },
      business.id,
      {
        shop: 'stand-in-cycles.myshopify.com',
        accessToken: shopify.token,
        apiVersion: '2025-10',
        apiBaseUrl: shopify.baseUrl,
      },
      'GBP',
    );
    expect(result.archived).toBe(demo.products.length - 1);
    const shopifyVariants = (await store.catalog.getProduct(business.id, KEPT))?.variants;

    // A restart with the same file: nothing comes back, and Shopify's price stands.
    await syncBusinessConfig(store, demo);
    expect(await statusOf(business.id, GONE)).toBe('archived');
    expect(await statusOf(business.id, KEPT)).toBe('active');
    expect((await store.catalog.getProduct(business.id, KEPT))?.variants).toEqual(shopifyVariants);

    // The owner edits one product's description in the file: that field is written, the
    // archived status is not undone.
    const edited = structuredClone(demo);
    const gone = edited.products.find((product) => product.handle === GONE)!;
    gone.description = 'Now described in the file.';
    await syncBusinessConfig(store, edited);
    const after = await store.catalog.getProduct(business.id, GONE);
    expect(after).toMatchObject({ status: 'archived', description: 'Now described in the file.' });

    // The owner sets the status in the file itself: the file's own change is applied.
    gone.status = 'draft';
    await syncBusinessConfig(store, edited);
    expect(await statusOf(business.id, GONE)).toBe('draft');
  });

  it('does not reactivate an archived product stored before Parley remembered the file', async () => {
    const business = await syncBusinessConfig(store, { ...demo, business: { ...demo.business } });
    const handle = demo.products[2]!.handle;
    const product = (await store.catalog.getProduct(business.id, handle))!;
    await store.catalog.upsertProducts(business.id, [
      {
        handle,
        title: product.title,
        description: product.description,
        category: product.category,
        tags: product.tags,
        status: 'archived',
        variants: product.variants.map(({ id: _id, ...variant }) => variant),
      },
    ]);
    // As an install from before this version has it: no record of what the file said.
    await database.db
      .update(products)
      .set({ fileEntry: null })
      .where(eq(products.businessId, business.id));
    await syncBusinessConfig(store, demo);
    expect(await statusOf(business.id, handle)).toBe('archived');
  });
});
