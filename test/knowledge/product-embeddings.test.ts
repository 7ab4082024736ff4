import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Business } from '../../src/core/business.js';
import type { Embedder } from '../../src/core/embedder.js';
import type { Store } from '../../src/core/store.js';
import { createSearchProducts } from '../../src/tools/catalog/search-products.js';
import { stubEmbedding } from '../support/embeddings-stub-server.js';
import { openDemoStore } from '../support/demo-store.js';
import { backends, type TestDatabase } from '../support/test-database.js';

describe.each(backends)('product embeddings for catalog search (%s)', (backend) => {
  let database: TestDatabase;
  let store: Store;
  let business: Business;
  const embedded: string[][] = [];
  const embedder: Embedder = {
    embed(texts) {
      embedded.push([...texts]);
      return Promise.resolve({ vectors: texts.map(stubEmbedding), modelId: 'stub-embed' });
    },
  };

  beforeAll(async () => {
    ({ database, store, business } = await openDemoStore(backend));
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('embeds products missing a vector on the first search and ranks by the query vector', async () => {
    expect((await store.productEmbeddings.missing(business.id, 500)).length).toBeGreaterThan(0);
    const tool = createSearchProducts(() => embedder);
    const output = (await tool.execute(
      { query: 'protective headgear', limit: 5 },
      {
        store,
        clock: { now: () => new Date() },
        scope: { businessId: business.id, contactId: 'c', conversationId: 'v' },
        effects: { requestHuman: () => undefined },
      },
    )) as { results: Array<{ handle: string }> };
    expect(await store.productEmbeddings.missing(business.id, 500)).toEqual([]);
    // The products went in batches, then the query alone.
    expect(embedded.at(-1)).toEqual(['protective headgear']);
    if (database.capabilities.vector) {
      // No product says "headgear": the helmets are found by meaning.
      expect(
        output.results
          .slice(0, 3)
          .map((result) => result.handle)
          .join(' '),
      ).toMatch(/helmet/);
    }
  });
});
