import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Business } from '../../src/core/business.js';
import type { ProductSearch } from '../../src/core/catalog-search.js';
import type { Store } from '../../src/core/store.js';
import { openDemoStore } from '../support/demo-store.js';
import { backends, type TestDatabase } from '../support/test-database.js';

describe.each(backends)('product search over the demo catalog (%s)', (backend) => {
  let database: TestDatabase;
  let store: Store;
  let business: Business;

  beforeAll(async () => {
    ({ database, store, business } = await openDemoStore(backend));
  });
  afterAll(async () => {
    await database?.destroy();
  });

  async function handles(search: Omit<ProductSearch, 'limit'> & { limit?: number }) {
    const hits = await store.catalog.searchProducts(business.id, { limit: 10, ...search });
    return hits.map((hit) => hit.product.handle);
  }

  it('finds products despite typos (trigram) and sentences (full text)', async () => {
    expect((await handles({ query: 'helment' })).slice(0, 3)).toEqual(
      expect.arrayContaining(['ridgeline-mips-helmet', 'commuter-led-helmet', 'kids-helmet']),
    );
    expect((await handles({ query: 'waterprof jaket' }))[0]).toBe('waterproof-jacket');
    expect(
      (await handles({ query: 'do you have an electric bike for commuting?' })).slice(0, 2),
    ).toEqual(expect.arrayContaining(['moorland-e-trek', 'city-e-step']));
    expect((await handles({ query: 'lock' }))[0]).toMatch(/lock/);
  });

  it('corrects misspellings to the words of products written later, and leaves numbers alone', async () => {
    await store.catalog.upsertProducts(business.id, [
      {
        handle: 'tandem-voyager',
        title: 'Tandem Voyager',
        description: 'A touring tandem for two riders.',
        category: 'Bikes',
        tags: ['tandem'],
        status: 'active',
        variants: [
          {
            title: 'Default',
            sku: null,
            options: {},
            priceMinor: 250_000,
            compareAtMinor: null,
            stock: 1,
          },
        ],
      },
    ]);
    expect((await handles({ query: 'tandm' }))[0]).toBe('tandem-voyager');
    expect((await handles({ query: 'voyagr for two' }))[0]).toBe('tandem-voyager');
    // A figure is never "corrected" into another one.
    expect(await handles({ query: '9999' })).toEqual([]);
  });

  it('filters by category, price range, stock and options on one variant', async () => {
    expect(await handles({ category: 'helmets', maxPriceMinor: 6_000 })).toEqual([
      'commuter-led-helmet',
      'kids-helmet',
    ]);
    const dear = await handles({ query: 'road bike', minPriceMinor: 200_000 });
    expect(dear[0]).toBe('fellside-carbon-ultegra');
    expect(dear).not.toContain('harbour-road-105'); // £1,149
    // White / L is out of stock, White / M is not: the options and stock hold for one variant.
    expect(
      await handles({ query: 'helmet', options: { colour: 'white', size: 'L' }, inStock: true }),
    ).toEqual([]);
    expect(
      await handles({ query: 'helmet', options: { color: 'White', size: 'M' }, inStock: true }),
    ).toEqual(['ridgeline-mips-helmet']);
    // Cable lock: the only variant is out of stock.
    expect(await handles({ query: 'cable lock', inStock: true })).not.toContain('cable-lock');
    expect(await handles({ query: 'cable lock' })).toContain('cable-lock');
  });

  it('corrects short typos through one-edit neighbours, never a word the catalog knows', async () => {
    // Trigram similarity of "lok" and "lock" is 0.29, under the correction threshold.
    expect((await handles({ query: 'lok' })).slice(0, 3)).toEqual(
      expect.arrayContaining(['gold-d-lock']),
    );
    expect(await handles({ query: 'rak' })).toContain('canal-hybrid-step-through');
    // "lock" is a catalog word: it is searched as typed, not widened to its neighbours.
    for (const handle of await handles({ query: 'lock', limit: 10 })) {
      const product = await store.catalog.getProduct(business.id, handle);
      expect(
        `${product!.title} ${product!.description} ${product!.tags.join(' ')}`.toLowerCase(),
      ).toMatch(/lock/);
    }
  });

  it('returns each hit with all its variants, in their order, as a product read does', async () => {
    const [hit] = await store.catalog.searchProducts(business.id, {
      query: 'harbour road',
      limit: 1,
    });
    const read = await store.catalog.getProduct(business.id, hit!.product.handle);
    expect(hit!.product).toEqual(read);
    expect(hit!.product.variants.length).toBeGreaterThan(1);
  });

  it('matches option names and values in any case, and a value only as a whole word', async () => {
    await store.catalog.upsertProducts(business.id, [
      {
        handle: 'trail-helmet-options',
        title: 'Trail Helmet Options Test',
        description: 'A trail helmet.',
        category: 'Helmets',
        tags: [],
        status: 'active',
        variants: [
          {
            title: 'M / Sage',
            sku: null,
            options: { Size: 'M (54-58 cm)', Colour: 'Sage Green' },
            priceMinor: 8_000,
            compareAtMinor: null,
            stock: 2,
          },
          {
            title: 'ML / Sand',
            sku: null,
            options: { Size: 'ML', Colour: 'Sand' },
            priceMinor: 8_000,
            compareAtMinor: null,
            stock: 2,
          },
        ],
      },
    ]);
    expect(await handles({ query: 'trail', options: { size: 'm', color: 'SAGE' } })).toContain(
      'trail-helmet-options',
    );
    expect(await handles({ query: 'trail', options: { SIZE: 'ml' } })).toContain(
      'trail-helmet-options',
    );
    // "M" never matches "ML"; both options must hold on one variant.
    expect(await handles({ query: 'trail', options: { size: 'M', colour: 'sand' } })).not.toContain(
      'trail-helmet-options',
    );
  });

  it('lists a category by title whichever way the name is cut, and no other category', async () => {
    const byPlural = await handles({ category: 'helmets', limit: 50 });
    expect(byPlural.length).toBeGreaterThanOrEqual(3);
    expect(await handles({ category: 'Helmet', limit: 50 })).toEqual(byPlural);
    expect(await handles({ category: 'helmets and visors', limit: 50 })).toEqual(byPlural);
    // In title order (the database's, as a catalog listing), and the limit holds.
    const listed = (await store.catalog.listProducts(business.id))
      .filter((product) => product.category === 'Helmets' && product.status === 'active')
      .map((product) => product.handle);
    expect(byPlural).toEqual(listed);
    expect(await handles({ category: 'helmets', limit: 2 })).toEqual(byPlural.slice(0, 2));
    // "road" is the start of "Road bikes" only; "scooters" starts no category and is started by none.
    expect(await handles({ category: 'road', limit: 50 })).toEqual(
      await handles({ category: 'road bikes', limit: 50 }),
    );
    expect(await handles({ category: 'scooters' })).toEqual([]);
    expect(await handles({ category: 'kids', limit: 50 })).toEqual(['sprocket-20-kids']);
  });

  it('treats any query text as words: operators and SQL find nothing odd and break nothing', async () => {
    for (const query of [
      "'; DROP TABLE products; --",
      "helmet' OR '1'='1",
      '!(a & b) | c:* <->',
      '%_\\',
    ]) {
      await expect(
        store.catalog.searchProducts(business.id, { query, limit: 5 }),
      ).resolves.toBeDefined();
    }
    expect(await store.catalog.countProducts(business.id)).toBeGreaterThan(30);
  });

  it('fuses vector similarity by rank when pgvector is there, and falls back without it', async () => {
    const hasVector = database.capabilities.vector;
    // Three-dimensional stand-in embeddings: only the order they induce matters.
    await database.db.execute(
      sql`UPDATE products SET embedding = ARRAY[0, 0, 1]::real[] WHERE business_id = ${business.id}`,
    );
    await database.db.execute(
      sql`UPDATE products SET embedding = ARRAY[1, 0, 0]::real[] WHERE business_id = ${business.id} AND handle = 'saddle-bag'`,
    );
    const hits = await handles({ embedding: [0.9, 0.1, 0], limit: 3 });
    if (hasVector) expect(hits[0]).toBe('saddle-bag');
    else expect(hits).toHaveLength(3); // no pgvector: filters-only listing, no error
    // Words and vector together: both rankings count.
    const fused = await handles({ query: 'saddle bag', embedding: [1, 0, 0], limit: 3 });
    expect(fused[0]).toBe('saddle-bag');
  });
});
