import type { FaqEntry } from '../../core/catalog.js';
import { notFound, ParleyError } from '../../core/errors.js';
import type { Embedder } from '../../core/embedder.js';
import type { Store } from '../../core/store.js';
import { embedFaqEntries } from './embed-faq-entries.js';

export interface FaqEntryInput {
  businessId: string;
  /** The entry to rewrite; absent to add a new one. */
  id?: string;
  question: string;
  answer: string;
}

/**
 * Adds or rewrites an FAQ entry from the console or API. The entry becomes the owner's, so
 * start-up sync from the business file never overwrites it. Its full-text index is a generated
 * column, so search_knowledge and menu mode find the new words as soon as this returns; a rewrite
 * drops the old vector, and with an embeddings model the new words are embedded before it returns.
 */
export async function saveFaqEntry(
  deps: { store: Store; embedder: Embedder | null },
  input: FaqEntryInput,
): Promise<FaqEntry> {
  const entry = await writeEntry(deps.store, input);
  if (deps.embedder) {
    try {
      await embedFaqEntries(deps.store, deps.embedder, input.businessId);
    } catch {
      // Saved and found by its words; the next search embeds it when the model answers again.
    }
  }
  return entry;
}

async function writeEntry(store: Store, input: FaqEntryInput): Promise<FaqEntry> {
  return store.transaction(async (tx) => {
    await tx.knowledge.lockFaqWrites(input.businessId);
    const wanted = normalise(input.question);
    const twin = (await tx.knowledge.listFaq(input.businessId)).find(
      (entry) => entry.id !== input.id && normalise(entry.question) === wanted,
    );
    if (twin) {
      throw new ParleyError(
        'conflict',
        `The FAQ already has the question "${twin.question}". Edit that entry instead, or word this one differently.`,
        { issues: [{ path: 'body.question', message: 'The FAQ already asks this question.' }] },
      );
    }
    const fields = { question: input.question, answer: input.answer };
    if (input.id === undefined) return tx.knowledge.createFaq(input.businessId, fields);
    const updated = await tx.knowledge.updateFaq(input.businessId, input.id, fields);
    if (!updated) throw notFound('The FAQ entry');
    return updated;
  });
}

function normalise(question: string): string {
  return question.trim().toLowerCase().replace(/\s+/g, ' ');
}
