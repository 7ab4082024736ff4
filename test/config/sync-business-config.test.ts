import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BusinessConfig } from '../../src/config/business-config.js';
import { loadBusinessConfig } from '../../src/config/load-business-config.js';
import { syncBusinessConfig } from '../../src/config/sync-business-config.js';
import { ManualClock } from '../../src/core/clock.js';
import type { Store } from '../../src/core/store.js';
import { createDrizzleStore } from '../../src/store/drizzle-store.js';
import { products } from '../../src/store/schema/index.js';
import { backends, openTestDatabase, type TestDatabase } from '../support/test-database.js';

const DEMO_FILE = fileURLToPath(new URL('../../examples/demo-shop.yaml', import.meta.url));

describe.each(backends)('syncBusinessConfig on %s', (backend) => {
  let database: TestDatabase;
  let clock: ManualClock;
  let store: Store;
  let demo: BusinessConfig;

  beforeEach(async () => {
    database = await openTestDatabase(backend);
    clock = new ManualClock('2026-03-02T09:00:00Z');
    store = createDrizzleStore(database.db, { clock });
    demo = await loadBusinessConfig(DEMO_FILE, {});
  });
  afterEach(async () => {
    await database.destroy();
  });

  /** Everything the sync writes, with ids and timestamps, to compare runs exactly. */
  async function snapshot(businessId: string) {
    return {
      business: await store.businesses.getById(businessId),
      faq: await store.knowledge.listFaq(businessId),
      products: await store.catalog.listProducts(businessId),
      productTimes: await database.db
        .select({ handle: products.handle, updatedAt: products.updatedAt })
        .from(products)
        .where(eq(products.businessId, businessId)),
      services: await store.catalog.listServices(businessId),
    };
  }

  it('creates the demo business with its FAQ, catalog and services', async () => {
    const business = await syncBusinessConfig(store, demo);

    expect(business).toMatchObject({
      slug: 'northside-cycles',
      name: 'Northside Cycles',
      profile: demo.business.profile,
      instructions: demo.agent.instructions,
    });
    const faq = await store.knowledge.listFaq(business.id);
    expect(faq.map(({ question, answer }) => ({ question, answer }))).toEqual(demo.faq);
    expect(faq.every((entry) => entry.businessId === business.id)).toBe(true);
    const stored = await store.catalog.listProducts(business.id);
    expect(stored).toHaveLength(demo.products.length);
    const lights = stored.find((product) => product.handle === 'front-light-800');
    expect(lights?.variants.map(({ id: _id, ...variant }) => variant)).toEqual([
      {
        title: 'Default',
        sku: 'NC-LGT-F800',
        options: {},
        priceMinor: 3999,
        compareAtMinor: 4999,
        stock: 12,
      },
    ]);
    expect(
      (await store.catalog.listServices(business.id)).map((service) => [
        service.slug,
        service.durationMinutes,
        service.bufferMinutes,
        service.priceMinor,
      ]),
    ).toEqual([
      ['basic-tune-up', 60, 15, 4500],
      ['bike-fitting', 45, 15, 6000],
      ['full-service', 120, 15, 9500],
    ]);
  });

  it('is idempotent: a second run writes nothing, not even timestamps or FAQ ids', async () => {
    const first = await syncBusinessConfig(store, demo);
    const before = await snapshot(first.id);

    clock.advance(60_000);
    const second = await syncBusinessConfig(store, structuredClone(demo));

    expect(second).toEqual(first);
    expect(await snapshot(first.id)).toEqual(before);
  });

  it('updates in place when the file changes', async () => {
    const first = await syncBusinessConfig(store, demo);
    const before = await snapshot(first.id);
    const beforeBike = before.products.find((product) => product.handle === 'harbour-road-105')!;

    const changed = structuredClone(demo);
    changed.business.name = 'Northside Cycles & Repairs';
    changed.business.profile.openingHours.sun = [{ open: '11:00', close: '15:00' }];
    changed.agent.instructions = 'Always mention our winter service offer.';
    changed.faq = [
      ...changed.faq.slice(0, 9),
      { question: 'Where are you?', answer: '14 Mill Lane, Manchester.' },
    ];
    const bike = changed.products.find((product) => product.handle === 'harbour-road-105')!;
    bike.variants = bike.variants
      .filter((variant) => variant.title !== '58 cm')
      .map((variant) =>
        variant.title === '54 cm' ? { ...variant, priceMinor: 109900, stock: 7 } : variant,
      );
    changed.products.push({
      handle: 'gift-voucher',
      title: 'Gift voucher',
      description: 'Spend it on anything in the shop.',
      category: 'Gift vouchers',
      tags: [],
      status: 'active',
      variants: [
        {
          title: '£25',
          sku: null,
          options: {},
          priceMinor: 2500,
          compareAtMinor: null,
          stock: null,
        },
      ],
    });
    changed.services = changed.services.map((service) =>
      service.slug === 'full-service' ? { ...service, durationMinutes: 150 } : service,
    );

    clock.advance(60_000);
    const updated = await syncBusinessConfig(store, changed);
    const after = await snapshot(first.id);

    expect(updated.id).toBe(first.id);
    expect(updated.name).toBe('Northside Cycles & Repairs');
    expect(updated.instructions).toBe('Always mention our winter service offer.');
    expect(updated.profile.openingHours.sun).toEqual([{ open: '11:00', close: '15:00' }]);
    expect(updated.updatedAt).toEqual(clock.now());
    expect(await store.businesses.list()).toHaveLength(1);

    expect(after.faq.map((entry) => entry.question)).toEqual(
      changed.faq.map((entry) => entry.question),
    );

    const afterBike = after.products.find((product) => product.handle === 'harbour-road-105')!;
    expect(afterBike.id).toBe(beforeBike.id);
    expect(
      afterBike.variants.map((variant) => [variant.title, variant.priceMinor, variant.stock]),
    ).toEqual([
      ['50 cm', 114900, 2],
      ['52 cm', 114900, 3],
      // The file's stock only seeds new variants: stock that orders have since taken is kept.
      ['54 cm', 109900, beforeBike.variants[2]!.stock],
      ['56 cm', 114900, 0],
    ]);
    // Variants keep their ids: order lines and carts may point at them.
    expect(afterBike.variants[2]!.id).toBe(beforeBike.variants[2]!.id);
    expect(after.products).toHaveLength(demo.products.length + 1);

    // Only the products that changed were written.
    const touched = after.productTimes
      .filter((row) => row.updatedAt.getTime() === clock.now().getTime())
      .map((row) => row.handle)
      .sort();
    expect(touched).toEqual(['gift-voucher', 'harbour-road-105']);

    const fullService = after.services.find((service) => service.slug === 'full-service');
    expect(fullService?.durationMinutes).toBe(150);
    expect(fullService?.id).toBe(before.services.find((s) => s.slug === 'full-service')?.id);
  });

  it('leaves products and services that the file no longer lists alone', async () => {
    const first = await syncBusinessConfig(store, demo);
    const smaller = { ...demo, products: demo.products.slice(0, 5), services: [] };
    await syncBusinessConfig(store, smaller);
    expect(await store.catalog.countProducts(first.id)).toBe(demo.products.length);
    expect(await store.catalog.listServices(first.id)).toHaveLength(3);
  });
});
