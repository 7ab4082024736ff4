import type { EmbeddingModelV3, LanguageModelV3 } from '@ai-sdk/provider';
import type { ModelEntry } from '../../core/model-settings.js';
import { EmbeddedEmbeddingModel } from './embedded-embedding-model.js';
import { EmbeddedLanguageModel, type LlamaRuntime } from './embedded-language-model.js';
import type { EngineRequest, EngineResult } from './engine-protocol.js';
import { LlamaWorkerHost } from './llama-worker-host.js';
import type { ModelLibrary } from './model-library.js';

/**
 * The embedded runtime's models for a gateway: one worker per model file, started on the first
 * call (so a configured but unused model costs nothing), all closed together.
 */
export function createEmbeddedModels(library: ModelLibrary, defaults: { threads: number }) {
  const hosts = new Map<string, Promise<LlamaWorkerHost>>();
  const hostFor = (entry: ModelEntry): Promise<LlamaWorkerHost> => {
    let host = hosts.get(entry.id);
    if (!host) {
      host = library.pathOf(entry.model).then(
        (modelPath) =>
          new LlamaWorkerHost({
            modelPath,
            threads: entry.threads ?? defaults.threads,
            sequences: entry.sequences ?? 2,
            contextSize: entry.contextSize ?? 4096,
          }),
      );
      // A failed lookup (no such model yet) is retried on the next call, after a pull.
      host.catch(() => hosts.delete(entry.id));
      hosts.set(entry.id, host);
    }
    return host;
  };
  return {
    model(entry: ModelEntry): LanguageModelV3 {
      const runtime: LlamaRuntime = {
        generate: async (
          request: EngineRequest,
          signal?: AbortSignal,
          onText?: (text: string) => void,
        ): Promise<EngineResult> => (await hostFor(entry)).generate(request, signal, onText),
      };
      return new EmbeddedLanguageModel(entry.model, runtime);
    },
    /** The same worker as the entry's chat model, on its own embedding context. */
    embeddingModel(entry: ModelEntry): EmbeddingModelV3 {
      return new EmbeddedEmbeddingModel(entry.model, {
        embed: async (texts, signal) => (await hostFor(entry)).embed(texts, signal),
      });
    },
    async close(): Promise<void> {
      const started = await Promise.allSettled([...hosts.values()]);
      await Promise.all(
        started.flatMap((result) => (result.status === 'fulfilled' ? [result.value.close()] : [])),
      );
    },
  };
}
