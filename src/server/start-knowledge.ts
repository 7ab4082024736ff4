import type { TurnGuard } from '../agent/turn-guard.js';
import type { AgentTool } from '../core/agent-tool.js';
import type { Embedder } from '../core/embedder.js';
import type { ModelGateway } from '../models/model-gateway.js';
import { createSearchProducts } from '../tools/catalog/search-products.js';
import { citeSources } from '../tools/knowledge/cite-sources.js';
import { createSearchKnowledge } from '../tools/knowledge/search-knowledge.js';

export interface KnowledgeWiring {
  /** The business's embeddings route as an Embedder; null when none is configured. */
  embedderFor(businessId: string): Embedder | null;
  /** The tools with `search_knowledge` and `search_products` ranking by meaning as well. */
  withEmbeddings(tools: readonly AgentTool[]): AgentTool[];
  /** The guard, with replies that answer from a document citing it. */
  withCitations(guard: TurnGuard): TurnGuard;
}

/** Embeddings for knowledge and catalog search, from the gateway's `embeddings` route. */
export function wireKnowledge(input: {
  businessId: string;
  gateway: ModelGateway;
}): KnowledgeWiring {
  const embedder = gatewayEmbedder(input.gateway);
  const embedderFor = (businessId: string) => (businessId === input.businessId ? embedder : null);
  const replacements = new Map<string, AgentTool>([
    ['search_knowledge', createSearchKnowledge(embedderFor)],
    ['search_products', createSearchProducts(embedderFor)],
  ]);
  return {
    embedderFor,
    withEmbeddings: (tools) => tools.map((tool) => replacements.get(tool.name) ?? tool),
    withCitations: (guard) => ({
      settle: (settleInput) => guard.settle(settleInput),
      review: (review) =>
        guard.review({ ...review, reply: citeSources(review.reply, review.steps) }),
    }),
  };
}

/** The gateway's `embeddings` route (same redaction, budgets and egress log), or null. */
export function gatewayEmbedder(gateway: ModelGateway | null): Embedder | null {
  if (!gateway?.tasks.includes('embeddings')) return null;
  return {
    async embed(texts, context) {
      const result = await gateway.embed([...texts], {
        contactId: context?.contactId ?? null,
        conversationId: context?.conversationId ?? null,
        source: context?.source ?? 'workspace',
      });
      return { vectors: result.embeddings, modelId: result.modelId };
    },
  };
}
