import type { CallContext } from './model-call-context.js';

/**
 * Turns texts into vectors for similarity search (passages at upload, queries at search). Absent
 * (null) when no embeddings model is configured: search is then full-text only.
 */
export interface Embedder {
  /** One vector per text, in order; `modelId` names the model that made them. */
  embed(
    texts: readonly string[],
    context?: Partial<CallContext>,
  ): Promise<{ vectors: number[][]; modelId: string }>;
}
