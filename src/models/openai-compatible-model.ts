import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { ModelBinding } from '../core/model.js';

export interface OpenAICompatibleSettings {
  /** e.g. `http://localhost:11434/v1` (Ollama), `http://localhost:8000/v1` (vLLM). */
  baseUrl: string;
  name: string;
  apiKey?: string | undefined;
  timeoutMs: number;
}

/**
 * A chat model behind the OpenAI-compatible protocol: the one API that Ollama, vLLM, llama.cpp's
 * server, LM Studio and most hosted services speak. `fetch` is injectable for tests.
 */
export function createOpenAICompatibleModel(
  settings: OpenAICompatibleSettings,
  fetchImplementation?: typeof fetch,
): ModelBinding {
  const provider = createOpenAICompatible({
    name: 'openai-compatible',
    baseURL: settings.baseUrl.replace(/\/+$/, ''),
    ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
    includeUsage: true,
    ...(fetchImplementation ? { fetch: fetchImplementation } : {}),
  });
  return {
    model: provider.chatModel(settings.name),
    name: settings.name,
    timeoutMs: settings.timeoutMs,
  };
}

/**
 * Asks the server which models it serves (`GET /models`), for `parley doctor`. Returns the ids, or
 * throws with a message that says what to check.
 */
export async function listServedModels(
  settings: Pick<OpenAICompatibleSettings, 'baseUrl' | 'apiKey'>,
  options: { fetch?: typeof fetch; timeoutMs?: number } = {},
): Promise<string[]> {
  const fetchImplementation = options.fetch ?? fetch;
  const url = `${settings.baseUrl.replace(/\/+$/, '')}/models`;
  const response = await fetchImplementation(url, {
    headers: settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {},
    signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
  });
  if (!response.ok) {
    throw new Error(`${url} answered ${response.status} ${response.statusText}`);
  }
  const body = (await response.json()) as { data?: Array<{ id?: unknown }> };
  return (body.data ?? []).flatMap((entry) => (typeof entry.id === 'string' ? [entry.id] : []));
}
