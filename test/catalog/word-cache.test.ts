import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Business } from '../../src/core/business.js';
import type { ProductInput, Store } from '../../src/core/store.js';
import { openDatabase, type DatabaseHandle } from '../../src/store/database.js';
import { createDrizzleStore } from '../../src/store/drizzle-store.js';
import { openDemoStore } from '../support/demo-store.js';
import { backends, type TestDatabase } from '../support/test-database.js';

function product(handle: string, title: string, description: string): ProductInput {
  return {
    handle,
    title,
    description,
    category: 'Bikes',
    tags: [],
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
  };
}

describe.each(backends)('product search word cache (%s)', (backend) => {
  let database: TestDatabase;
  let store: Store;
  let business: Business;
  // Where another Parley process would write the catalog: on PostgreSQL a second connection
  // pool with its own cache; on PGlite (one process per data folder) the same handle.
  let other: DatabaseHandle | null = null;
  let otherStore: Store;

  beforeAll(async () => {
    ({ database, store, business } = await openDemoStore(backend));
    if (database.url) other = await openDatabase({ kind: 'postgres', url: database.url });
    otherStore = createDrizzleStore((other ?? database).db);
  });
  afterAll(async () => {
    await other?.close();
    await database?.destroy();
  });

  async function handles(query: string, limit = 10): Promise<string[]> {
    const hits = await store.catalog.searchProducts(business.id, { query, limit });
    return hits.map((hit) => hit.product.handle);
  }

  /** The statements one search runs, and its hits. */
  async function counted(query: string): Promise<{ statements: number; found: string[] }> {
    const execute = vi.spyOn(database.db, 'execute');
    try {
      const found = await handles(query);
      return { statements: execute.mock.calls.length, found };
    } finally {
      execute.mockRestore();
    }
  }

  it('runs no typo lookup for words it has seen in the catalog, and still corrects a typo among them', async () => {
    const first = await counted('waterproof jacket for commuting');
    expect(first.statements).toBe(2);
    const again = await counted('waterproof jacket for commuting');
    expect(again).toEqual({ statements: 1, found: first.found });
    // "jaket" is not a catalog word: looked up and corrected, whatever the cache holds.
    const typo = await counted('waterproof jaket');
    expect(typo.statements).toBe(2);
    expect(typo.found[0]).toBe('waterproof-jacket');
    // Answered from the cache the second time, with the same correction.
    expect(await counted('waterproof jaket')).toEqual({ statements: 1, found: typo.found });
  });

  it('finds words another process added after they were cached as unknown', async () => {
    // Neither "tandm" nor "quadricycle" is a catalog word yet; the second searches are answered
    // from the cache (one statement each), one with hits ("bike") and one without.
    expect(await handles('tandm bike')).not.toContain('tandem-voyager');
    expect(await handles('quadricycl')).toEqual([]);
    expect((await counted('tandm bike')).statements).toBe(1);
    expect(await counted('quadricycl')).toEqual({ statements: 1, found: [] });

    await otherStore.catalog.upsertProducts(business.id, [
      product('tandem-voyager', 'Tandem Voyager', 'A touring tandem bike for two riders.'),
      product('quadricycle-four', 'Quadricycle Four', 'Four wheels, four riders.'),
    ]);

    // The search statement sees the word list's count move and looks the words up again.
    expect((await handles('tandm bike'))[0]).toBe('tandem-voyager');
    expect(await handles('quadricycl')).toEqual(['quadricycle-four']);
    // Then the cache answers again, with the new corrections.
    expect(await counted('tandm bike')).toEqual({
      statements: 1,
      found: await handles('tandm bike'),
    });
  });

  it('moves the word list version with new words, once per writing transaction', async () => {
    const version = async () => {
      const result = await database.db.execute<{ version: number | null }>(
        sql`SELECT (SELECT version FROM catalog_word_versions WHERE business_id = ${business.id})::int AS version`,
      );
      return (result as { rows: Array<{ version: number | null }> }).rows[0]!.version;
    };
    const before = await version();
    expect(before).toBeGreaterThan(0);
    // Rolled back: the words and the version go together.
    await expect(
      store.transaction(async (tx) => {
        await tx.catalog.upsertProducts(business.id, [
          product('unicycle-solo', 'Unicycle Solo', 'Monocycle for acrobats.'),
        ]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await version()).toBe(before);
    // Three products with new words in one transaction: one step.
    await store.transaction((tx) =>
      tx.catalog.upsertProducts(business.id, [
        product('unicycle-solo', 'Unicycle Solo', 'Monocycle for acrobats.'),
        product('penny-farthing', 'Penny Farthing', 'High wheeler.'),
        product('velocipede', 'Velocipede', 'Boneshaker.'),
      ]),
    );
    expect(await version()).toBe(before! + 1);
    // Words the list already holds: no step.
    await store.catalog.upsertProducts(business.id, [
      product('velocipede', 'Velocipede', 'Boneshaker for acrobats.'),
    ]);
    expect(await version()).toBe(before! + 1);
  });
});
