import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { embedMany, generateText } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedEmbeddingModel } from '../../../src/models/local/embedded-embedding-model.js';
import { EmbeddedLanguageModel } from '../../../src/models/local/embedded-language-model.js';
import { LlamaWorkerHost } from '../../../src/models/local/llama-worker-host.js';
import { writeTinyGguf } from '../../support/gguf-writer.js';

// The tiny GGUF's embedding length (test/support/gguf-writer.ts).
const EMBEDDING_LENGTH = 64;

describe('embeddings on the embedded llama.cpp runtime (tiny random GGUF)', () => {
  let host: LlamaWorkerHost;
  let embedder: EmbeddedEmbeddingModel;

  beforeAll(async () => {
    const folder = await mkdtemp(join(tmpdir(), 'parley-gguf-'));
    const modelPath = join(folder, 'tiny.gguf');
    await writeTinyGguf(modelPath);
    host = new LlamaWorkerHost({ modelPath, threads: 1, sequences: 1, contextSize: 1024 });
    embedder = new EmbeddedEmbeddingModel('tiny.gguf', host);
  }, 60_000);
  afterAll(() => host.close());

  it("gives one finite vector of the model's embedding length per text, in order, with tokens", async () => {
    const result = await embedder.doEmbed({
      values: ['Do you repair e-bikes?', 'Opening hours', 'Refunds within 30 days'],
    });
    expect(result.embeddings).toHaveLength(3);
    for (const vector of result.embeddings) {
      expect(vector).toHaveLength(EMBEDDING_LENGTH);
      expect(vector.every((value) => Number.isFinite(value))).toBe(true);
      expect(vector.some((value) => value !== 0)).toBe(true);
    }
    // Different texts, different vectors.
    expect(result.embeddings[0]).not.toEqual(result.embeddings[1]);
    // At least one token per character-level text, plus the begin token.
    expect(result.usage!.tokens).toBeGreaterThan('Opening hours'.length);
  });

  it('gives the same text the same vector, alone or inside a batch', async () => {
    const alone = await embedder.doEmbed({ values: ['Opening hours'] });
    const again = await embedder.doEmbed({ values: ['Opening hours'] });
    const batch = await embedder.doEmbed({ values: ['Refunds?', 'Opening hours'] });
    expect(again.embeddings[0]).toEqual(alone.embeddings[0]);
    expect(batch.embeddings[1]).toEqual(alone.embeddings[0]);
  });

  it("works through the AI SDK's embedMany", async () => {
    const { embeddings, usage } = await embedMany({
      model: embedder,
      values: ['a', 'b', 'c', 'd'],
    });
    expect(embeddings).toHaveLength(4);
    expect(usage.tokens).toBeGreaterThan(0);
  });

  it('refuses a text longer than the context with a clear error, and keeps working', async () => {
    await expect(embedder.doEmbed({ values: ['ok', 'x'.repeat(3000)] })).rejects.toThrow(
      /Text 2 of 2 is \d+ tokens long; this local model reads at most 1023 at once\. Split it into shorter passages, or raise contextSize/,
    );
    const after = await embedder.doEmbed({ values: ['ok'] });
    expect(after.embeddings[0]).toHaveLength(EMBEDDING_LENGTH);
  });

  it('rejects a batch given up on before it reached the worker, and answers the next caller', async () => {
    const controller = new AbortController();
    const passages = Array.from({ length: 200 }, (_, index) => `Passage ${index}`);
    const batch = embedder.doEmbed({ values: passages, abortSignal: controller.signal });
    controller.abort(new Error('the caller left'));
    await expect(batch).rejects.toThrow('the caller left');
    const after = await embedder.doEmbed({ values: ['still here'] });
    expect(after.embeddings[0]).toHaveLength(EMBEDDING_LENGTH);
  });

  it('rejects a batch given up on halfway, and answers the next caller', async () => {
    const controller = new AbortController();
    const passages = Array.from(
      { length: 300 },
      (_, index) => `Passage ${index}: ${'x'.repeat(300)}`,
    );
    const batch = embedder.doEmbed({ values: passages, abortSignal: controller.signal });
    // A query answered means the batch is under way (they take turns per text).
    await embedder.doEmbed({ values: ['under way?'] });
    controller.abort(new Error('the caller left'));
    await expect(batch).rejects.toThrow('the caller left');
    const after = await embedder.doEmbed({ values: ['still here'] });
    expect(after.embeddings[0]).toHaveLength(EMBEDDING_LENGTH);
  });

  it('lets a query and a chat reply through while a long batch is embedded', async () => {
    const chat = new EmbeddedLanguageModel('tiny.gguf', host);
    const finished: string[] = [];
    const passages = Array.from(
      { length: 150 },
      (_, index) => `Passage ${index}: ${'opening hours and refunds '.repeat(12)}`,
    );
    const batch = embedder.doEmbed({ values: passages }).then((result) => {
      finished.push('batch');
      return result;
    });
    // Both start after the batch did; each must finish before it (turns are per text).
    const query = embedder.doEmbed({ values: ['when do you open?'] }).then(() => {
      finished.push('query');
    });
    const reply = generateText({ model: chat, prompt: 'Hello', maxOutputTokens: 4 }).then(() => {
      finished.push('chat');
    });
    const [result] = await Promise.all([batch, query, reply]);
    expect(result.embeddings).toHaveLength(150);
    expect(finished.at(-1)).toBe('batch');
  });
});
