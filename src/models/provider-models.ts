import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { EmbeddingModelV3, LanguageModelV3 } from '@ai-sdk/provider';
import { ParleyError } from '../core/errors.js';
import type { ModelEntry } from '../core/model-settings.js';
import { modelFetch } from './model-fetch.js';

export interface ProviderSeams {
  /** Used by every HTTP provider (default: `modelFetch`); injectable for tests. */
  fetch?: typeof fetch | undefined;
  /** Builds the embedded runtime's model (loaded lazily: node-llama-cpp is heavy). */
  embedded?: ((entry: ModelEntry) => LanguageModelV3) | undefined;
  /** Builds the embedded runtime's embedding model (same worker as its chat model). */
  embeddedEmbeddings?: ((entry: ModelEntry) => EmbeddingModelV3) | undefined;
}

function trimmed(url: string | null): string | undefined {
  return url ? url.replace(/\/+$/, '') : undefined;
}

/** The AI SDK chat model behind one catalog entry. */
export function createLanguageModel(entry: ModelEntry, seams: ProviderSeams = {}): LanguageModelV3 {
  const fetchOption = { fetch: seams.fetch ?? modelFetch };
  const apiKey = entry.apiKey ?? undefined;
  switch (entry.provider) {
    case 'openai-compatible':
      return createOpenAICompatible({
        name: 'openai-compatible',
        baseURL: trimmed(entry.baseUrl) ?? 'http://localhost:11434/v1',
        ...(apiKey ? { apiKey } : {}),
        includeUsage: true,
        ...fetchOption,
      }).chatModel(entry.model);
    case 'openai':
      // Chat Completions rather than Responses: the one protocol every stand-in and proxy speaks.
      return createOpenAI({ apiKey, baseURL: trimmed(entry.baseUrl), ...fetchOption }).chat(
        entry.model,
      );
    case 'anthropic':
      return createAnthropic({ apiKey, baseURL: trimmed(entry.baseUrl), ...fetchOption })(
        entry.model,
      );
    case 'embedded':
      if (!seams.embedded) {
        throw new ParleyError(
          'config_invalid',
          `Model ${entry.id} uses the embedded runtime, which this process did not start. Run it with parley start, or use an openai-compatible server.`,
        );
      }
      return seams.embedded(entry);
  }
}

/** The embedding model behind one catalog entry, or null when the provider has none. */
export function createEmbeddingModel(
  entry: ModelEntry,
  seams: ProviderSeams = {},
): EmbeddingModelV3 | null {
  const fetchOption = { fetch: seams.fetch ?? modelFetch };
  const apiKey = entry.apiKey ?? undefined;
  switch (entry.provider) {
    case 'openai-compatible':
      return createOpenAICompatible({
        name: 'openai-compatible',
        baseURL: trimmed(entry.baseUrl) ?? 'http://localhost:11434/v1',
        ...(apiKey ? { apiKey } : {}),
        ...fetchOption,
      }).embeddingModel(entry.model);
    case 'openai':
      return createOpenAI({
        apiKey,
        baseURL: trimmed(entry.baseUrl),
        ...fetchOption,
      }).embeddingModel(entry.model);
    case 'embedded':
      // A process without the embedded runtime has no local embeddings: the route falls back.
      return seams.embeddedEmbeddings?.(entry) ?? null;
    case 'anthropic':
      return null;
  }
}
