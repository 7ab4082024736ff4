import type { ToolContext } from '../../core/agent-tool.js';
import type { Clock } from '../../core/clock.js';
import type { Embedder } from '../../core/embedder.js';
import type { Store } from '../../core/store.js';

const BATCH = 64;
const MAX_PER_SEARCH = 256;
// Once a business's catalog is fully embedded, look for new products at most this often.
const RECHECK_MS = 60_000;

const embeddedAt = new Map<string, number>();

/**
 * Embeds products that have no vector yet (a new catalog, or new products since), a few batches
 * per search so the first searches pay for it, then the query. Any failure leaves the search to
 * its words: undefined.
 */
export async function embedCatalogQuery(
  { store, scope, clock }: ToolContext,
  embedder: Embedder | null,
  query: string | undefined,
): Promise<number[] | undefined> {
  if (!embedder || !query?.trim()) return undefined;
  try {
    await embedMissingProducts({ store, clock }, embedder, scope.businessId);
    const { vectors } = await embedder.embed([query], {
      contactId: scope.contactId,
      conversationId: scope.conversationId,
      source: 'agent',
    });
    return vectors[0];
  } catch {
    return undefined;
  }
}

/** Embeds up to `limit` active products without a vector; returns how many it embedded. */
export async function embedMissingProducts(
  { store, clock }: { store: Store; clock: Clock },
  embedder: Embedder,
  businessId: string,
  limit = MAX_PER_SEARCH,
): Promise<number> {
  const checked = embeddedAt.get(businessId);
  if (checked !== undefined && clock.now().getTime() - checked < RECHECK_MS) return 0;
  let done = 0;
  while (done < limit) {
    const missing = await store.productEmbeddings.missing(
      businessId,
      Math.min(BATCH, limit - done),
    );
    if (missing.length === 0) {
      embeddedAt.set(businessId, clock.now().getTime());
      break;
    }
    const { vectors } = await embedder.embed(
      missing.map((product) => product.text),
      { source: 'workspace' },
    );
    await store.productEmbeddings.save(
      businessId,
      missing.flatMap((product, index) => {
        const embedding = vectors[index];
        return embedding ? [{ id: product.id, embedding }] : [];
      }),
    );
    done += missing.length;
  }
  return done;
}
