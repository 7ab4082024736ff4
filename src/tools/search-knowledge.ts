import { z } from 'zod';
import { defineTool } from '../core/agent-tool.js';

const MAX_RESULTS = 3;

/** Looks up the business's own answers (FAQ) so the agent answers from them, not from memory. */
export const searchKnowledge = defineTool({
  name: 'search_knowledge',
  description:
    "Search the business's FAQ and knowledge for passages that answer the customer's question. Use it before answering any question about the business (hours, delivery, returns, policies, services).",
  inputSchema: z.object({
    query: z.string().trim().min(1).max(300).describe('The question or keywords to look up.'),
  }),
  async execute({ query }, { store, scope }) {
    const hits = await store.knowledge.searchFaq(scope.businessId, query, MAX_RESULTS);
    if (hits.length === 0) {
      return { results: [], note: 'Nothing in the knowledge base matches. Do not guess.' };
    }
    return {
      results: hits.map((hit) => ({ source: `FAQ: ${hit.question}`, text: hit.answer })),
    };
  },
});
