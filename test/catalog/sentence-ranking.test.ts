import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Business } from '../../src/core/business.js';

import type { ProductInput, Store } from '../../src/core/store.js';
import { wordsOf } from '../../src/store/repositories/product-search.js';
import { openDemoStore } from '../support/demo-store.js';
import { backends, type TestDatabase } from '../support/test-database.js';

const ADJECTIVES = ['lightweight', 'waterproof', 'reflective', 'thermal', 'folding', 'padded'];
const NOUNS = ['helmet', 'jacket', 'gloves', 'saddle', 'pannier', 'mirror', 'bell'];
const USES = ['commuting', 'racing', 'touring'];

/**
 * 126 products whose adjectives, nouns and uses repeat across the catalog: each word of a
 * customer's sentence matches a sixth to a third of it, so the ranking must come from counting
 * the words each product holds.
 */
function crowdedCatalog(): ProductInput[] {
  const list: ProductInput[] = [];
  let index = 0;
  for (const noun of NOUNS)
    for (const adjective of ADJECTIVES)
      for (const use of USES) {
        index++;
        list.push({
          handle: `${adjective}-${noun}-${use}-${index}`,
          title: `${adjective} ${noun} ${index}`,
          description: `A ${noun} for ${use}. ${ADJECTIVES[(index * 5) % ADJECTIVES.length]} finish.`,
          category: 'Crowded',
          tags: [noun, use],
          status: 'active',
          variants: [
            {
              title: 'Default',
              sku: null,
              options: {},
              priceMinor: 1_000 + index,
              compareAtMinor: null,
              stock: 3,
            },
          ],
        });
      }
  return list;
}

describe.each(backends)('sentence ranking over a crowded catalog (%s)', (backend) => {
  let database: TestDatabase;
  let store: Store;
  let business: Business;

  beforeAll(async () => {
    ({ database, store, business } = await openDemoStore(backend));
    await store.catalog.upsertProducts(business.id, crowdedCatalog());
  });
  afterAll(async () => {
    await database?.destroy();
  });

  async function handles(query: string, limit: number): Promise<string[]> {
    const hits = await store.catalog.searchProducts(business.id, { query, limit });
    return hits.map((hit) => hit.product.handle);
  }

  /** Every product holding any word, ranked by words held then ts_rank: what search must equal. */
  async function everyMatchRanked(query: string, limit: number): Promise<string[]> {
    const words = wordsOf(query);
    const any = sql`to_tsquery('english', ${words.map((word) => `'${word}'`).join(' | ')})`;
    const held = sql.join(
      words.map((word) => sql`(search @@ to_tsquery('english', ${`'${word}'`}))::int`),
      sql` + `,
    );
    const result = await database.db.execute<{ handle: string }>(sql`
      SELECT handle FROM products
      WHERE business_id = ${business.id} AND status = 'active' AND search @@ ${any}
      ORDER BY (${held}) + ts_rank(search, ${any}) DESC, title LIMIT ${limit}`);
    return (result as { rows: Array<{ handle: string }> }).rows.map((row) => row.handle);
  }

  it('puts the product holding all of a sentence’s common words first, stop words aside', async () => {
    const found = await handles(
      'do you have a waterproof pannier for touring in the rain please?',
      5,
    );
    expect(found[0]).toMatch(/^waterproof-pannier-touring-/);
    expect(found).toEqual(await everyMatchRanked('waterproof pannier touring rain please', 5));
  });

  it('ranks exactly as ranking every match would, however many words and hits are asked for', async () => {
    const sentences = [
      'lightweight helmet',
      'thermal gloves for commuting',
      'folding mirror bell',
      'padded saddle for racing and touring',
      // Eight scoring words: the top tiers are looked up, the rest ranked as one remainder.
      'lightweight waterproof reflective thermal helmet jacket commuting racing',
      'helmet helmets',
    ];
    for (const sentence of sentences)
      for (const limit of [1, 5, 40]) {
        expect(await handles(sentence, limit), `${sentence} (${limit})`).toEqual(
          await everyMatchRanked(sentence, limit),
        );
      }
  });

  it('fills the list from products holding fewer words when too few hold them all', async () => {
    // One product holds "thermal", "bell" and "racing" in its title and tags; 40 hits must
    // then come from the products holding two of the words, then one.
    const found = await handles('thermal bell racing', 40);
    expect(found).toHaveLength(40);
    expect(found[0]).toMatch(/^thermal-bell-racing-/);
    expect(found).toEqual(await everyMatchRanked('thermal bell racing', 40));
  });

  it('counts a misspelt word of a sentence as found through its correction', async () => {
    const found = await handles('a waterprof pannier for touring', 3);
    expect(found[0]).toMatch(/^waterproof-pannier-touring-/);
  });

  it('finds nothing odd for a sentence of stop words only', async () => {
    expect(await handles('what is it that you have for me', 5)).toEqual([]);
  });
});
