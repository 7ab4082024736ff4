import type {
  EmbeddingModelV3,
  EmbeddingModelV3CallOptions,
  EmbeddingModelV3Result,
} from '@ai-sdk/provider';
import type { EmbedResult } from './engine-protocol.js';

/** What the embedding model needs from a runtime: the worker host (or the engine in tests). */
export interface LlamaEmbeddingRuntime {
  embed(texts: string[], signal?: AbortSignal): Promise<EmbedResult>;
}

/**
 * A GGUF model run by Parley itself, as an AI SDK embedding model: the gateway's `embeddings`
 * route, the knowledge and catalog embedder and `/v1/embeddings` can then stay on this machine.
 */
export class EmbeddedEmbeddingModel implements EmbeddingModelV3 {
  readonly specificationVersion = 'v3';
  readonly provider = 'embedded';
  // The worker takes turns per text whatever the batch size; the SDK's splitting adds nothing.
  readonly maxEmbeddingsPerCall = Infinity;
  readonly supportsParallelCalls = true;

  constructor(
    readonly modelId: string,
    private readonly runtime: LlamaEmbeddingRuntime,
  ) {}

  async doEmbed(options: EmbeddingModelV3CallOptions): Promise<EmbeddingModelV3Result> {
    const result = await this.runtime.embed(options.values, options.abortSignal);
    return {
      embeddings: result.vectors,
      usage: { tokens: result.inputTokens },
      warnings: [],
    };
  }
}
