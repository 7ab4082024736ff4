import type { LlamaEmbeddingContext, LlamaModel } from 'node-llama-cpp';
import type { EmbedResult } from './engine-protocol.js';

/**
 * Embeddings for one GGUF model on its own embedding context (llama.cpp computes embeddings only
 * in a context created for them), made on the first request so a chat-only model pays nothing.
 *
 * Queueing rule: the context reads one text at a time, and callers take turns per text in arrival
 * order. A batch queues its next text only when the previous one is done, so a query embedding
 * that arrives behind a document's 64 passages waits for one passage, not for the whole batch.
 * Chat has its own context and sequences: an embedding batch never holds one, and the two share
 * the worker's CPU threads through node-llama-cpp's thread splitter (`maxThreads`).
 */
export class LlamaEmbedder {
  #context: Promise<LlamaEmbeddingContext> | null = null;
  #busy = false;
  readonly #turns: Array<() => void> = [];

  readonly #contextSize: number;

  constructor(
    private readonly model: LlamaModel,
    private readonly options: { contextSize: number; threads: number },
  ) {
    // Encoder embedders (BERT-style, often 512 positions) read no further than they were trained.
    this.#contextSize = Math.min(options.contextSize, model.trainContextSize);
  }

  /** The embedding vector of each text, in order, and the tokens read. */
  async embed(texts: readonly string[], signal?: AbortSignal): Promise<EmbedResult> {
    const context = await this.#open();
    const vectors: number[][] = [];
    let inputTokens = 0;
    for (const [index, text] of texts.entries()) {
      await this.#turn();
      try {
        signal?.throwIfAborted();
        const length = context.calculateInputLength(text);
        if (length >= this.#contextSize) {
          throw new Error(
            `Text ${index + 1} of ${texts.length} is ${length} tokens long; this local model reads at most ${this.#contextSize - 1} at once. Split it into shorter passages${this.#contextSize < this.model.trainContextSize ? ", or raise contextSize on the model's catalog entry" : ''}.`,
          );
        }
        const embedding = await context.getEmbeddingFor(text);
        vectors.push([...embedding.vector]);
        inputTokens += length;
      } finally {
        this.#pass();
      }
    }
    return { vectors, inputTokens };
  }

  async close(): Promise<void> {
    const context = this.#context;
    this.#context = null;
    await (await context?.catch(() => null))?.dispose();
  }

  #open(): Promise<LlamaEmbeddingContext> {
    this.#context ??= this.model.createEmbeddingContext({
      contextSize: this.#contextSize,
      // The whole text in one batch: models with bidirectional attention (BERT-style embedders)
      // need every token of an input in the same batch.
      batchSize: this.#contextSize,
      threads: this.options.threads,
    });
    // A context that failed to open (memory) is tried again on the next request.
    void this.#context.catch(() => {
      this.#context = null;
    });
    return this.#context;
  }

  #turn(): Promise<void> {
    if (!this.#busy) {
      this.#busy = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#turns.push(resolve));
  }

  #pass(): void {
    const next = this.#turns.shift();
    if (next) next();
    else this.#busy = false;
  }
}
