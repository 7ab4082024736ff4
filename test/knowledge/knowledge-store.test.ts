import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Business } from '../../src/core/business.js';
import type { Embedder } from '../../src/core/embedder.js';
import type { Store } from '../../src/core/store.js';
import {
  createSearchKnowledge,
  type KnowledgeResult,
} from '../../src/tools/knowledge/search-knowledge.js';
import { uploadDocument } from '../../src/tools/knowledge/upload-document.js';
import { createOtherBusiness } from '../server/support/other-business.js';
import { stubEmbedding } from '../support/embeddings-stub-server.js';
import { openDemoStore } from '../support/demo-store.js';
import { backends, type TestDatabase } from '../support/test-database.js';

const encode = (text: string) => new TextEncoder().encode(text);

const RETURNS = `# Returns policy

## Refunds

Refunds are paid to the original card within 5 working days once we receive the item.

## Exchanges

Exchanges for another size are free within 30 days; bring the receipt to the shop.
`;

const stubEmbedder: Embedder = {
  embed: (texts) =>
    Promise.resolve({ vectors: texts.map((text) => stubEmbedding(text)), modelId: 'stub-embed' }),
};

describe.each(backends)('knowledge documents in the store (%s)', (backend) => {
  let database: TestDatabase;
  let store: Store;
  let business: Business;

  beforeAll(async () => {
    ({ database, store, business } = await openDemoStore(backend));
  });
  afterAll(async () => {
    await database?.destroy();
  });

  const upload = (fileName: string, text: string, embedder: Embedder | null = null) =>
    uploadDocument(
      { store, embedder },
      { businessId: business.id, fileName, contentType: 'text/markdown', bytes: encode(text) },
    );

  async function search(query: string, embedder: Embedder | null = null) {
    const tool = createSearchKnowledge(() => embedder);
    const output = (await tool.execute(
      { query },
      {
        store,
        clock: { now: () => new Date() },
        scope: { businessId: business.id, contactId: 'c', conversationId: 'v' },
        effects: { requestHuman: () => undefined },
      },
    )) as { results: KnowledgeResult[]; note?: string };
    return output;
  }

  it('stores passages with their sections and finds them with their source, FAQ alongside', async () => {
    const document = await upload('returns-policy.md', RETURNS);
    expect(document).toMatchObject({
      name: 'returns-policy.md',
      title: 'Returns policy',
      format: 'markdown',
      passageCount: 2,
      status: 'indexed',
    });
    const found = await search('how long do refunds take to reach my card?');
    // Fused by rank with the FAQ's best hit: among the first two.
    expect(found.results.slice(0, 2)).toContainEqual({
      source: 'Returns policy › Refunds',
      cite: 'Returns policy',
      text: expect.stringContaining('within 5 working days') as string,
    });
    expect(found.note).toContain('(Source: Returns policy)');
    // The demo FAQ is searched in the same call.
    const mixed = await search('do you deliver?');
    expect(mixed.results.some((result) => result.source.startsWith('FAQ: '))).toBe(true);
  });

  it('replaces a document uploaded again under the same name, keeping its id', async () => {
    const first = await upload('hours.md', '# Hours\n\nThe workshop opens at eight.');
    const second = await upload(
      'hours.md',
      '# Hours\n\nThe workshop opens at nine.\n\n## Sundays\n\nClosed on Sundays.',
    );
    expect(second.id).toBe(first.id);
    expect(second.passageCount).toBe(2);
    const passages = await store.knowledgeDocuments.passages(business.id, first.id);
    expect(passages.map((passage) => passage.text)).toEqual([
      'The workshop opens at nine.',
      'Closed on Sundays.',
    ]);
    expect((await search('workshop eight')).results.map((result) => result.text)).not.toContain(
      'The workshop opens at eight.',
    );
    const listed = await store.knowledgeDocuments.list(business.id);
    expect(listed.filter((document) => document.name === 'hours.md')).toHaveLength(1);
  });

  it('a bad re-upload leaves the earlier version in place', async () => {
    const before = await upload('care.md', '# Care\n\nOil the chain monthly.');
    await expect(
      uploadDocument(
        { store, embedder: null },
        {
          businessId: business.id,
          fileName: 'care.md',
          contentType: 'application/pdf',
          bytes: encode('not a pdf'),
        },
      ),
    ).rejects.toMatchObject({ code: 'unprocessable' });
    expect(await store.knowledgeDocuments.getById(business.id, before.id)).toMatchObject({
      passageCount: 1,
      format: 'markdown',
    });
  });

  it('deletes a document and its passages everywhere', async () => {
    const document = await upload('tyres.md', '# Tyres\n\nTubeless tyres are fitted for free.');
    expect((await search('tubeless tyres')).results[0]?.cite).toBe('Tyres');
    expect(await store.knowledgeDocuments.delete(business.id, document.id)).toBe(true);
    expect(await store.knowledgeDocuments.getById(business.id, document.id)).toBeNull();
    expect(await store.knowledgeDocuments.passages(business.id, document.id)).toEqual([]);
    expect((await search('tubeless tyres')).results.some((r) => r.cite === 'Tyres')).toBe(false);
    expect(await store.knowledgeDocuments.delete(business.id, document.id)).toBe(false);
    expect(await store.knowledgeDocuments.delete(business.id, 'not-a-uuid')).toBe(false);
  });

  it("keeps each business's documents to itself", async () => {
    const other = await createOtherBusiness(store, 'knowledge');
    await uploadDocument(
      { store, embedder: null },
      {
        businessId: other.business.id,
        fileName: 'secret.md',
        contentType: 'text/markdown',
        bytes: encode('# Secret\n\nThe zeppelin discount code is hidden.'),
      },
    );
    expect((await search('zeppelin discount')).results).toEqual([]);
    const foreign = (await store.knowledgeDocuments.list(other.business.id))[0]!;
    expect(await store.knowledgeDocuments.getById(business.id, foreign.id)).toBeNull();
    expect(await store.knowledgeDocuments.delete(business.id, foreign.id)).toBe(false);
  });

  it('embeds passages at upload and fuses meaning into the ranking (where pgvector is)', async () => {
    const document = await upload(
      'money.md',
      RETURNS.replace('Returns policy', 'Store rules'),
      stubEmbedder,
    );
    expect(document).toMatchObject({ status: 'embedded', embeddingModel: 'stub-embed' });
    // "money back" shares no word with the refunds passage; only its meaning finds it.
    const byMeaning = await search('can I have my money back', stubEmbedder);
    const refunds = byMeaning.results.find(
      (result) => result.cite === 'Store rules' && result.text.includes('Refunds are paid'),
    );
    if (database.capabilities.vector) expect(refunds).toBeDefined();
    else expect(refunds).toBeUndefined();
    // An embeddings model that fails costs the vectors, not the upload.
    const failing: Embedder = { embed: () => Promise.reject(new Error('HTTP 503')) };
    expect(await upload('failing.md', '# Failing\n\nStill searchable.', failing)).toMatchObject({
      status: 'embedding_failed',
      statusDetail: expect.stringContaining('HTTP 503') as string,
    });
    expect((await search('still searchable', failing)).results[0]?.cite).toBe('Failing');
  });
});
