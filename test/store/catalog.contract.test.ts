import { describe, expect, it } from 'vitest';
import type { ProductInput, ServiceInput } from '../../src/core/store.js';
import { backends } from '../support/test-database.js';
import { createBusiness, useContractDatabase } from './contract-fixtures.js';

const MUG: ProductInput = {
  handle: 'stoneware-mug',
  title: 'Stoneware mug',
  description: 'Hand-thrown, dishwasher safe.',
  category: 'Kitchen',
  tags: ['gift', 'handmade'],
  status: 'active',
  variants: [
    {
      sku: 'MUG-S',
      title: 'Small',
      options: { size: 'S' },
      priceMinor: 1200,
      compareAtMinor: null,
      stock: 4,
    },
    {
      sku: 'MUG-L',
      title: 'Large',
      options: { size: 'L' },
      priceMinor: 1500,
      compareAtMinor: 1800,
      stock: null,
    },
  ],
};

const CUT: ServiceInput = {
  slug: 'haircut',
  name: 'Haircut',
  description: 'Wash, cut and dry.',
  durationMinutes: 45,
  bufferMinutes: 15,
  priceMinor: 3500,
};

describe.each(backends)('catalog contract on %s', (backend) => {
  const context = useContractDatabase(backend);

  it('stores products with their variants', async () => {
    const { store } = context;
    const business = await createBusiness(store);
    await store.catalog.upsertProducts(business.id, [MUG]);
    const [product, ...rest] = await store.catalog.listProducts(business.id);
    expect(rest).toEqual([]);
    const { variants, ...fields } = MUG;
    expect(product).toMatchObject({ ...fields, businessId: business.id });
    expect(product!.variants.map(({ id: _id, ...variant }) => variant)).toEqual(variants);
    expect(await store.catalog.countProducts(business.id)).toBe(1);
  });

  it('upserting by handle updates in place; variants are replaced by title', async () => {
    const { store } = context;
    const business = await createBusiness(store);
    await store.catalog.upsertProducts(business.id, [MUG]);
    const [before] = await store.catalog.listProducts(business.id);
    const largeBefore = before!.variants.find((variant) => variant.title === 'Large')!;

    await store.catalog.upsertProducts(business.id, [
      {
        ...MUG,
        title: 'Stoneware mug (new glaze)',
        tags: ['handmade'],
        status: 'draft',
        variants: [
          { ...MUG.variants[1]!, priceMinor: 1600, stock: 9 },
          {
            sku: 'MUG-XL',
            title: 'Extra large',
            options: { size: 'XL' },
            priceMinor: 1900,
            compareAtMinor: null,
            stock: 2,
          },
        ],
      },
    ]);

    expect(await store.catalog.countProducts(business.id)).toBe(1);
    const [after] = await store.catalog.listProducts(business.id);
    expect(after).toMatchObject({
      id: before!.id,
      title: 'Stoneware mug (new glaze)',
      tags: ['handmade'],
      status: 'draft',
    });
    expect(after!.variants.map((variant) => variant.title)).toEqual(['Large', 'Extra large']);
    const largeAfter = after!.variants.find((variant) => variant.title === 'Large')!;
    // Same variant row, new price and stock: references to it stay valid.
    expect(largeAfter).toMatchObject({ id: largeBefore.id, priceMinor: 1600, stock: 9 });

    await store.catalog.upsertProducts(business.id, [{ ...MUG, variants: [] }]);
    const [emptied] = await store.catalog.listProducts(business.id);
    expect(emptied!.variants).toEqual([]);
  });

  it('lists products by title and honours the limit', async () => {
    const { store } = context;
    const business = await createBusiness(store);
    await store.catalog.upsertProducts(
      business.id,
      ['Teapot', 'Bowl', 'Mug'].map((title) => ({
        ...MUG,
        handle: title.toLowerCase(),
        title,
      })),
    );
    expect((await store.catalog.listProducts(business.id)).map((p) => p.title)).toEqual([
      'Bowl',
      'Mug',
      'Teapot',
    ]);
    expect(
      (await store.catalog.listProducts(business.id, { limit: 2 })).map((p) => p.title),
    ).toEqual(['Bowl', 'Mug']);
    expect(await store.catalog.countProducts(business.id)).toBe(3);
  });

  it('upserts services by slug', async () => {
    const { store } = context;
    const business = await createBusiness(store);
    await store.catalog.upsertServices(business.id, [
      CUT,
      { ...CUT, slug: 'colour', name: 'Colour', durationMinutes: 90 },
    ]);
    const [colourBefore, cutBefore] = await store.catalog.listServices(business.id);
    expect(cutBefore).toEqual({ ...CUT, id: cutBefore!.id, businessId: business.id });
    expect(colourBefore?.name).toBe('Colour');

    await store.catalog.upsertServices(business.id, [
      { ...CUT, name: 'Haircut & finish', priceMinor: 4000, bufferMinutes: 10 },
    ]);
    const services = await store.catalog.listServices(business.id);
    expect(services).toHaveLength(2);
    expect(services.find((service) => service.slug === 'haircut')).toEqual({
      ...CUT,
      id: cutBefore!.id,
      businessId: business.id,
      name: 'Haircut & finish',
      priceMinor: 4000,
      bufferMinutes: 10,
    });
  });

  it("keeps every business's catalog to itself", async () => {
    const { store } = context;
    const business = await createBusiness(store);
    const other = await createBusiness(store, 'other');
    await store.catalog.upsertProducts(business.id, [MUG]);
    await store.catalog.upsertServices(business.id, [CUT]);

    expect(await store.catalog.listProducts(other.id)).toEqual([]);
    expect(await store.catalog.countProducts(other.id)).toBe(0);
    expect(await store.catalog.listServices(other.id)).toEqual([]);

    // The same handle and slug in another business are that business's own rows.
    await store.catalog.upsertProducts(other.id, [{ ...MUG, title: 'Their mug', variants: [] }]);
    await store.catalog.upsertServices(other.id, [{ ...CUT, name: 'Their haircut' }]);
    const [ours] = await store.catalog.listProducts(business.id);
    const [theirs] = await store.catalog.listProducts(other.id);
    expect(ours).toMatchObject({ title: 'Stoneware mug', businessId: business.id });
    expect(ours!.variants).toHaveLength(2);
    expect(theirs).toMatchObject({ title: 'Their mug', businessId: other.id, variants: [] });
    expect(theirs!.id).not.toBe(ours!.id);
    expect((await store.catalog.listServices(business.id))[0]?.name).toBe('Haircut');
    expect((await store.catalog.listServices(other.id))[0]?.name).toBe('Their haircut');
  });
});
