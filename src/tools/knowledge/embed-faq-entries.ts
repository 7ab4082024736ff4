import type { Embedder } from '../../core/embedder.js';
import type { Store } from '../../core/store.js';

const BATCH = 64;

/**
 * Embeds live FAQ entries that have no vector (added, rewritten, or synced from the business
 * file), one batch per call: an owner's save and the first searches pay for it. Throws what the
 * embeddings model throws; callers fall back to words.
 */
export async function embedFaqEntries(
  store: Store,
  embedder: Embedder,
  businessId: string,
): Promise<number> {
  const missing = await store.knowledge.faqWithoutEmbedding(businessId, BATCH);
  if (missing.length === 0) return 0;
  const { vectors } = await embedder.embed(
    missing.map((entry) => `${entry.question}\n${entry.answer}`),
    { source: 'workspace' },
  );
  await store.knowledge.saveFaqEmbeddings(
    businessId,
    missing.flatMap((entry, index) => {
      const embedding = vectors[index];
      return embedding ? [{ ...entry, embedding }] : [];
    }),
  );
  return missing.length;
}
