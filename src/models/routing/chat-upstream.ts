import type { ModelEntry } from '../../core/model-settings.js';
import type { ChatUpstream } from './route-calls.js';

/**
 * Where a catalog model takes OpenAI chat requests as they are, or null when it does not speak
 * that protocol (Anthropic, the embedded runtime) or the SDK would have to fill in its key or
 * address (an `openai` entry without `apiKey` or `baseUrl` falls back to OPENAI_API_KEY and
 * OPENAI_BASE_URL, which only the SDK reads).
 */
export function chatUpstream(entry: ModelEntry): ChatUpstream | null {
  if (entry.provider !== 'openai-compatible' && entry.provider !== 'openai') return null;
  if (entry.provider === 'openai' && (!entry.apiKey || !entry.baseUrl)) return null;
  const base = entry.baseUrl?.replace(/\/+$/, '') ?? 'http://localhost:11434/v1';
  return {
    url: new URL(`${base}/chat/completions`),
    headers: {
      'content-type': 'application/json',
      ...(entry.apiKey ? { authorization: `Bearer ${entry.apiKey}` } : {}),
    },
  };
}
