import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Business } from '../../src/core/business.js';
import type { ShopifySettings } from '../../src/core/shopify-sync.js';
import type { Store } from '../../src/core/store.js';
import { createDrizzleStore } from '../../src/store/drizzle-store.js';
import { nextPageUrl } from '../../src/tools/catalog-sync/shopify-admin-client.js';
import { syncShopifyCatalog } from '../../src/tools/catalog-sync/sync-shopify-catalog.js';
import { backends, openTestDatabase, type TestDatabase } from '../support/test-database.js';
import {
  shopifyProduct,
  startShopifyStandIn,
  type ShopifyStandIn,
} from './support/shopify-stand-in.js';

function manyProducts(count: number) {
  return Array.from({ length: count }, (_, index) =>
    shopifyProduct({
      handle: `inner-tube-${index}`,
      title: `Inner tube ${index}`,
      productType: 'Tubes',
      variants: [{ price: '6.50', quantity: 10 }],
    }),
  );
}

describe('reading Shopify Link headers', () => {
  it('finds the next page among previous and next', () => {
    expect(
      nextPageUrl(
        '<https://shop.myshopify.com/admin/api/2025-10/products.json?limit=250&page_info=a>; rel="previous", <https://shop.myshopify.com/admin/api/2025-10/products.json?limit=250&page_info=b>; rel="next"',
      ),
    ).toBe('https://shop.myshopify.com/admin/api/2025-10/products.json?limit=250&page_info=b');
    expect(nextPageUrl('<https://x/p?page_info=a>; rel="previous"')).toBeNull();
    expect(nextPageUrl(null)).toBeNull();
  });
});

describe.each(backends)('Shopify Admin API sync (%s)', (backend) => {
  let database: TestDatabase;
  let store: Store;
  let business: Business;
  let shopify: ShopifyStandIn;
  let settings: ShopifySettings;
  const waits: number[] = [];
  const sleep = (ms: number) => {
    waits.push(ms);
    return Promise.resolve();
  };

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    store = createDrizzleStore(database.db);
    shopify = await startShopifyStandIn();
    settings = {
      shop: 'stand-in-cycles.myshopify.com',
      accessToken: shopify.token,
      apiVersion: '2025-10',
      apiBaseUrl: shopify.baseUrl,
    };
  });
  afterAll(async () => {
    await shopify?.close();
    await database?.destroy();
  });
  beforeEach(async () => {
    waits.length = 0;
    shopify.requests.length = 0;
    business = await store.businesses.upsert({
      slug: `shopify-shop-${Math.random().toString(36).slice(2, 8)}`,
      name: 'Shopify Shop',
      instructions: '',
      profile: {
        description: '',
        timezone: 'Europe/London',
        languages: ['en'],
        currency: 'GBP',
        openingHours: {},
        tone: 'plain',
      },
    });
  });

  const sync = () => syncShopifyCatalog({ store, sleep }, business.id, settings, 'GBP');

  it('pulls every page and maps variants, options, stock, status and images as the CSV import does', async () => {
    shopify.products = [
      shopifyProduct({
        handle: 'trail-gravel-tyre',
        title: 'Trail Gravel Tyre',
        bodyHtml:
          '<p>Fast-rolling gravel tyre, <strong>tubeless</strong> ready.</p><p>40c &amp; 45c.</p>',
        productType: 'Tyres',
        tags: 'gravel, tubeless',
        optionNames: ['Width', 'Sidewall'],
        variants: [
          {
            options: ['40c', 'Tan'],
            price: '42.00',
            compareAt: '49.99',
            sku: 'TGT-40-TAN',
            quantity: 7,
          },
          { options: ['40c', 'Black'], price: '42.00', compareAt: '40.00', quantity: -2 },
          { options: ['45c', 'Tan'], price: '44.00', tracked: false },
          { options: ['45c', 'Black'], price: '44.00', policy: 'continue', quantity: 0 },
        ],
        images: 3,
      }),
      shopifyProduct({
        handle: 'winter-gloves',
        title: 'Winter Gloves',
        status: 'draft',
        variants: [{ price: '25', quantity: 4 }],
      }),
      ...manyProducts(260),
    ];
    const result = await sync();
    expect(result).toMatchObject({
      pages: 2,
      created: 262,
      updated: 0,
      archived: 0,
      images: 3,
      issues: [],
    });
    expect(shopify.requests.every((request) => request.token === shopify.token)).toBe(true);
    expect(shopify.requests[0]!.query.get('limit')).toBe('250');

    const tyre = await store.catalog.getProduct(business.id, 'trail-gravel-tyre');
    expect(tyre).toMatchObject({
      title: 'Trail Gravel Tyre',
      description: 'Fast-rolling gravel tyre, tubeless ready.\n40c & 45c.',
      category: 'Tyres',
      tags: ['gravel', 'tubeless'],
      status: 'active',
    });
    expect(tyre!.variants.map(({ id: _id, ...variant }) => variant)).toEqual([
      {
        title: '40c / Tan',
        sku: 'TGT-40-TAN',
        options: { width: '40c', sidewall: 'Tan' },
        priceMinor: 4200,
        compareAtMinor: 4999,
        stock: 7,
      },
      {
        title: '40c / Black',
        sku: null,
        options: { width: '40c', sidewall: 'Black' },
        priceMinor: 4200,
        compareAtMinor: null,
        stock: 0,
      },
      {
        title: '45c / Tan',
        sku: null,
        options: { width: '45c', sidewall: 'Tan' },
        priceMinor: 4400,
        compareAtMinor: null,
        stock: null,
      },
      {
        title: '45c / Black',
        sku: null,
        options: { width: '45c', sidewall: 'Black' },
        priceMinor: 4400,
        compareAtMinor: null,
        stock: null,
      },
    ]);
    const gloves = await store.catalog.getProduct(business.id, 'winter-gloves');
    expect(gloves).toMatchObject({ status: 'draft' });
    expect(gloves!.variants[0]).toMatchObject({
      title: 'Default',
      options: {},
      priceMinor: 2500,
      stock: 4,
    });
    const hits = await store.catalog.searchProducts(business.id, {
      query: 'gravle tyre',
      limit: 3,
    });
    expect(hits[0]?.product.handle).toBe('trail-gravel-tyre');
  });

  it('re-syncs in place: changed prices and stock update, products gone from Shopify are archived', async () => {
    shopify.products = [
      shopifyProduct({
        handle: 'city-lock',
        title: 'City Lock',
        variants: [{ price: '30.00', quantity: 3 }],
      }),
      shopifyProduct({
        handle: 'old-bell',
        title: 'Old Bell',
        variants: [{ price: '5.00', quantity: 1 }],
      }),
    ];
    await sync();
    const before = await store.catalog.getProduct(business.id, 'city-lock');
    shopify.products = [
      shopifyProduct({
        handle: 'city-lock',
        title: 'City Lock',
        variants: [{ price: '32.50', quantity: 9 }],
      }),
    ];
    const result = await sync();
    expect(result).toMatchObject({ created: 0, updated: 1, archived: 1 });
    const after = await store.catalog.getProduct(business.id, 'city-lock');
    expect(after!.id).toBe(before!.id);
    expect(after!.variants[0]!.id).toBe(before!.variants[0]!.id);
    expect(after!.variants[0]).toMatchObject({ priceMinor: 3250, stock: 9 });
    const bell = await store.catalog.getProduct(business.id, 'old-bell');
    expect(bell).toMatchObject({ status: 'archived' });
    expect(bell!.variants[0]).toMatchObject({ priceMinor: 500, stock: 1 });
    expect(await store.catalog.searchProducts(business.id, { query: 'bell', limit: 5 })).toEqual(
      [],
    );
    // Back in Shopify: active again.
    shopify.products.push(
      shopifyProduct({
        handle: 'old-bell',
        title: 'Old Bell',
        variants: [{ price: '5.00', quantity: 1 }],
      }),
    );
    expect(await sync()).toMatchObject({ updated: 2, archived: 0 });
    expect(await store.catalog.getProduct(business.id, 'old-bell')).toMatchObject({
      status: 'active',
    });
  });

  it('reports unreadable products and keeps them as they were, importing the rest', async () => {
    shopify.products = [
      shopifyProduct({
        handle: 'frame-bag',
        title: 'Frame Bag',
        variants: [{ price: '35.00', quantity: 2 }],
      }),
    ];
    await sync();
    shopify.products = [
      shopifyProduct({
        handle: 'frame-bag',
        title: 'Frame Bag',
        variants: [{ price: 'thirty', quantity: 2 }],
      }),
      shopifyProduct({ handle: 'Bad Handle!', title: 'Odd', variants: [{ price: '1.00' }] }),
      shopifyProduct({
        handle: 'bar-tape',
        title: 'Bar Tape',
        variants: [{ price: '12.00', quantity: 5 }],
      }),
    ];
    const result = await sync();
    expect(result.created).toBe(1);
    expect(result.archived).toBe(0);
    expect(result.issues).toEqual([
      expect.objectContaining({
        handle: 'frame-bag',
        message: 'the price "thirty" is not an amount',
      }),
      expect.objectContaining({ message: expect.stringContaining('"bad handle!"') as string }),
    ]);
    expect(await store.catalog.getProduct(business.id, 'frame-bag')).toMatchObject({
      status: 'active',
      variants: [expect.objectContaining({ priceMinor: 3500 })],
    });
  });

  it('waits out 429s and slows down near the call limit', async () => {
    shopify.products = manyProducts(300);
    shopify.rateLimitNext = 2;
    shopify.callsUsed = 39;
    try {
      const result = await sync();
      expect(result.created).toBe(300);
    } finally {
      shopify.callsUsed = 1;
    }
    expect(waits.slice(0, 2)).toEqual([50, 50]); // Retry-After: 0.05
    // 39 of 40 used: wait until the bucket has leaked below the headroom (2 calls per second).
    expect(waits.slice(2)).toEqual([1500, 1500]);
  });

  it('says what to fix when Shopify refuses the token or its scope, and changes nothing', async () => {
    shopify.products = manyProducts(3);
    await expect(
      syncShopifyCatalog(
        { store, sleep },
        business.id,
        { ...settings, accessToken: 'shpat_wrong' },
        'GBP',
      ),
    ).rejects.toMatchObject({
      code: 'config_invalid',
      message: expect.stringContaining('shopify.accessToken') as string,
    });
    shopify.scopes = [];
    try {
      await expect(sync()).rejects.toMatchObject({
        code: 'config_invalid',
        message: expect.stringContaining('read_products') as string,
      });
    } finally {
      shopify.scopes = ['read_products'];
    }
    expect(await store.catalog.countProducts(business.id)).toBe(0);
  });

  it('never follows a next link to another host with the token', async () => {
    const fetchWithForeignLink: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      return new Response(await response.text(), {
        status: response.status,
        headers: {
          link: '<https://attacker.example/admin/api/2025-10/products.json?page_info=x>; rel="next"',
        },
      });
    };
    shopify.products = manyProducts(2);
    await expect(
      syncShopifyCatalog(
        { store, sleep, fetch: fetchWithForeignLink },
        business.id,
        settings,
        'GBP',
      ),
    ).rejects.toMatchObject({ message: expect.stringContaining('attacker.example') as string });
    expect(await store.catalog.countProducts(business.id)).toBe(0);
  });
});
