import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDrizzleStore } from '../../src/store/drizzle-store.js';
import { refreshStatistics } from '../../src/store/refresh-statistics.js';
import { businesses, products } from '../../src/store/schema/index.js';
import { backends, openTestDatabase, type TestDatabase } from '../support/test-database.js';

describe.each(backends)('planner statistics after catalog writes (%s)', (backend) => {
  let database: TestDatabase;
  let businessId: string;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    businessId = randomUUID();
    await database.db.insert(businesses).values({
      id: businessId,
      slug: `stats-${businessId.slice(0, 8)}`,
      name: 'Stats Cycles',
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

  async function estimatedRows(table: string): Promise<number> {
    const result = await database.db.execute<{ rows: number }>(
      sql`SELECT reltuples::float8 AS rows FROM pg_class WHERE relname = ${table}`,
    );
    return Number((result as { rows: Array<{ rows: number }> }).rows[0]!.rows);
  }

  function product(index: number) {
    return {
      handle: `stats-${index}`,
      title: `Stats product ${index}`,
      description: 'A product for the statistics test.',
      category: 'Tests',
      tags: [],
      status: 'active' as const,
      variants: [
        {
          title: 'Default',
          sku: null,
          options: {},
          priceMinor: 1_000,
          compareAtMinor: null,
          stock: 1,
        },
      ],
    };
  }

  it('analyses a table written past its statistics', async () => {
    // Rows written behind the repository's back: nothing has analysed them yet.
    await database.db.insert(products).values(
      Array.from({ length: 300 }, (_, index) => ({
        id: randomUUID(),
        businessId,
        handle: `raw-${index}`,
        title: `Raw product ${index}`,
        status: 'active' as const,
      })),
    );
    expect(await estimatedRows('products')).toBeLessThan(300);
    await refreshStatistics(database.db, ['products']);
    expect(await estimatedRows('products')).toBe(300);
  });

  it('a catalog import leaves the planner knowing how many products there are', async () => {
    const store = createDrizzleStore(database.db);
    await store.catalog.upsertProducts(
      businessId,
      Array.from({ length: 400 }, (_, index) => product(index)),
    );
    expect(await estimatedRows('products')).toBe(700);
    expect(await estimatedRows('product_variants')).toBe(400);
  });
});
