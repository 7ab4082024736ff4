import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Business } from '../../src/core/business.js';
import type { Store } from '../../src/core/store.js';
import { createDrizzleStore } from '../../src/store/drizzle-store.js';
import { importCatalog } from '../../src/tools/catalog-import/import-catalog.js';
import { parseCatalogCsv } from '../../src/tools/catalog-import/parse-catalog-csv.js';
import { parseCatalogJson } from '../../src/tools/catalog-import/parse-catalog-json.js';
import { backends, openTestDatabase, type TestDatabase } from '../support/test-database.js';

const fixture = (name: string) => readFile(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('parsing Shopify product CSVs', () => {
  it('reads the current template: variants grouped by handle, options, images, prices, stock', async () => {
    const parsed = parseCatalogCsv(await fixture('shopify-current.csv'), 'GBP');
    const tyre = parsed.products.find((product) => product.handle === 'trail-gravel-tyre')!;
    expect(tyre).toMatchObject({
      title: 'Trail Gravel Tyre',
      description: 'Fast-rolling gravel tyre, tubeless ready.\nSizes: 40c & 45c.',
      category: 'Tyres',
      tags: ['gravel', 'tubeless', 'tyre'],
      status: 'active',
    });
    expect(tyre.variants).toEqual([
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
        sku: 'TGT-40-BLK',
        options: { width: '40c', sidewall: 'Black' },
        priceMinor: 4200,
        compareAtMinor: 4999,
        stock: 0,
      },
      {
        title: '45c / Black',
        sku: 'TGT-45-BLK',
        options: { width: '45c', sidewall: 'Black' },
        priceMinor: 4400,
        compareAtMinor: null,
        stock: 3,
      },
    ]);
    expect(parsed.imageRows).toBe(1);
    // "Default Title" is no option; a blank inventory tracker means stock is not counted.
    expect(parsed.products.find((product) => product.handle === 'bar-tape')!.variants).toEqual([
      {
        title: 'Default',
        sku: 'BT-1',
        options: {},
        priceMinor: 1250,
        compareAtMinor: null,
        stock: null,
      },
    ]);
    expect(parsed.products.find((product) => product.handle === 'winter-overshoes')!.status).toBe(
      'draft',
    );
  });

  it('reports malformed rows with their line and reason, and leaves those products out whole', async () => {
    const parsed = parseCatalogCsv(await fixture('shopify-current.csv'), 'GBP');
    expect(parsed.issues).toEqual([
      { line: 8, handle: 'broken-bell', message: 'the price "twelve" is not an amount' },
      { line: 11, handle: 'three-option-jersey', message: 'the price "sixty" is not an amount' },
    ]);
    const handles = parsed.products.map((product) => product.handle);
    expect(handles).toEqual(['trail-gravel-tyre', 'bar-tape', 'winter-overshoes']);
  });

  it('reads the legacy export headers, multi-line quoted HTML and the Published column', async () => {
    const parsed = parseCatalogCsv(await fixture('shopify-legacy.csv'), 'GBP');
    expect(parsed.issues).toEqual([]);
    const saddle = parsed.products.find((product) => product.handle === 'saddle-pro')!;
    expect(saddle.description).toBe('Carbon-railed saddle,\nwith a cut-out.');
    expect(
      saddle.variants.map((variant) => [
        variant.title,
        variant.priceMinor,
        variant.compareAtMinor,
        variant.stock,
      ]),
    ).toEqual([
      ['143 mm', 8900, 9900, 3],
      ['155 mm', 8900, 9900, 0],
    ]);
    // Legacy exports: Published FALSE (and no Status) means the product is not on sale.
    expect(parsed.products.find((product) => product.handle === 'old-pump')).toMatchObject({
      status: 'draft',
      variants: [expect.objectContaining({ title: 'Default', stock: null })],
    });
  });

  it('keeps three options and rejects a broken file with its line', () => {
    const csv = [
      'Handle,Title,Option1 Name,Option1 Value,Option2 Name,Option2 Value,Option3 Name,Option3 Value,Variant Price',
      'j,Jersey,Size,S,Colour,Red,Sleeve,Short,55',
      'j,,Size,S,Colour,Red,Sleeve,Long,60',
    ].join('\n');
    const parsed = parseCatalogCsv(csv, 'GBP');
    expect(parsed.products[0]!.variants.map((variant) => variant.options)).toEqual([
      { size: 'S', colour: 'Red', sleeve: 'Short' },
      { size: 'S', colour: 'Red', sleeve: 'Long' },
    ]);
    expect(() => parseCatalogCsv('Handle,Title,Variant Price\nx,"unclosed,1\n', 'GBP')).toThrow(
      /line/,
    );
  });

  it('reads plain JSON catalogs and reports invalid products by position', () => {
    const parsed = parseCatalogJson(
      JSON.stringify([
        { handle: 'a-bell', title: 'Bell', variants: [{ price: 9.5, stock: 3 }] },
        { handle: 'Bad Handle', title: 'X', variants: [{ price: 1 }] },
        { handle: 'no-variants', title: 'Y', variants: [] },
      ]),
      'GBP',
    );
    expect(parsed.products).toEqual([
      expect.objectContaining({
        handle: 'a-bell',
        variants: [expect.objectContaining({ priceMinor: 950, stock: 3 })],
      }),
    ]);
    expect(parsed.issues.map((issue) => issue.line)).toEqual([2, 3]);
  });
});

describe.each(backends)('importing a catalog into the store (%s)', (backend) => {
  let database: TestDatabase;
  let store: Store;
  let business: Business;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    store = createDrizzleStore(database.db);
    business = await store.businesses.upsert({
      slug: 'import-shop',
      name: 'Import Shop',
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
  afterAll(async () => {
    await database?.destroy();
  });

  it('imports valid products, and a re-import updates them in place', async () => {
    const first = await importCatalog(
      store,
      business.id,
      parseCatalogCsv(await fixture('shopify-current.csv'), 'GBP'),
    );
    expect(first).toMatchObject({ created: 3, updated: 0, imageRows: 1 });
    expect(first.issues).toHaveLength(2);
    const before = (await store.catalog.getProduct(business.id, 'trail-gravel-tyre'))!;
    expect(await store.catalog.getProduct(business.id, 'broken-bell')).toBeNull();

    // The shop changes a price and stock and drops a variant; the file is exported again.
    const changed = (await fixture('shopify-current.csv'))
      .replace('TGT-45-BLK,,,45c,,,Black,,,,,44.00', 'TGT-45-BLK,,,45c,,,Black,,,,,46.00')
      .replace(/^,trail-gravel-tyre,,,,,,,,TGT-40-BLK.*\n/m, '')
      .replace('shopify,7,DENY', 'shopify,5,DENY');
    const second = await importCatalog(store, business.id, parseCatalogCsv(changed, 'GBP'));
    expect(second).toMatchObject({ created: 0, updated: 3 });
    const after = (await store.catalog.getProduct(business.id, 'trail-gravel-tyre'))!;
    expect(after.id).toBe(before.id);
    expect(
      after.variants.map((variant) => [variant.title, variant.priceMinor, variant.stock]),
    ).toEqual([
      ['40c / Tan', 4200, 5],
      ['45c / Black', 4600, 3],
    ]);
    // The variant that stayed kept its id (orders and carts point at it).
    expect(after.variants[0]!.id).toBe(before.variants[0]!.id);
  });

  it('writes nothing when the write fails part-way', async () => {
    const countBefore = await store.catalog.countProducts(business.id);
    const parsed = parseCatalogCsv(await fixture('shopify-legacy.csv'), 'GBP');
    // A price beyond the column's range fails inside the transaction, after the first product.
    parsed.products[1]!.variants[0]!.priceMinor = 2 ** 40;
    await expect(importCatalog(store, business.id, parsed)).rejects.toThrow();
    expect(await store.catalog.countProducts(business.id)).toBe(countBefore);
    expect(await store.catalog.getProduct(business.id, 'saddle-pro')).toBeNull();
  });
});
